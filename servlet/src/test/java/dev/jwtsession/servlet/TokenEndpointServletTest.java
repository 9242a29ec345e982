package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TokenEndpointServlet} over real HTTP: race-safe refresh, reuse, revoke, bad input. */
class TokenEndpointServletTest {

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final AtomicInteger reauthCalls = new AtomicInteger();
  ApiTestApp app;

  @BeforeEach
  void start() throws Exception {
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret("token-test-access-secret-of-32-bytes-long"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secret("token-test-refresh-secret-of-32-bytes-lon"))
            .reauth(
                refresh -> {
                  reauthCalls.incrementAndGet();
                  return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
                })
            .rotation(r -> r.store(InMemoryRefreshTokenStore.create()))
            .bearer(b -> b.enabled(true))
            .clock(clock)
            .listener(listener)
            .build();
    app = ApiTestApp.start(engine);
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
  }

  HttpRequest form(String path, String body) {
    return HttpRequest.newBuilder(URI.create(app.url() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static String refreshBody(String token) {
    return "grant_type=refresh_token&refresh_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(request.toString()).isLessThan(500);
    return response;
  }

  HttpResponse<String> refresh(String token) throws Exception {
    return send(form("/token", refreshBody(token)));
  }

  String loginRefreshToken(String sub) throws Exception {
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(URI.create(app.url() + "/tokens?sub=" + sub))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    return (String) JSONObjectUtils.parse(login.body()).get("refresh_token");
  }

  static Object field(HttpResponse<String> response, String name) throws Exception {
    return JSONObjectUtils.parse(response.body()).get(name);
  }

  @Test
  void fiftyConcurrentRefreshesWithOneTokenAllGetTheIdenticalPairFromOneReauth() throws Exception {
    String token = loginRefreshToken("alice");
    clock.advance(Duration.ofSeconds(70));

    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      burst.add(
          CLIENT.sendAsync(
              form("/token", refreshBody(token)), HttpResponse.BodyHandlers.ofString()));
    }

    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : burst) {
      assertThat(response.get().statusCode()).isEqualTo(200);
      assertThat(response.get().headers().firstValue("Cache-Control")).contains("no-store");
      bodies.add(response.get().body());
    }
    assertThat(bodies).hasSize(50).containsOnly(bodies.get(0));
    assertThat(reauthCalls).hasValue(1);
    assertThat(JSONObjectUtils.parse(bodies.get(0)))
        .containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
        .containsEntry("token_type", "Bearer");
  }

  @Test
  void theOldTokenAfterTheGraceWindowIsInvalidGrantAndRevokesTheSuccessor() throws Exception {
    String old = loginRefreshToken("alice");
    clock.advance(Duration.ofSeconds(70));
    String successor = (String) field(refresh(old), "refresh_token");
    clock.advance(Duration.ofSeconds(70));
    HttpResponse<String> used = refresh(successor); // the successor has been used
    assertThat(used.statusCode()).isEqualTo(200);
    String newest = (String) field(used, "refresh_token");
    clock.advance(Duration.ofSeconds(6));

    // Protocol v2: the old token's successor has been used, so presenting the old one is reuse.
    HttpResponse<String> replay = refresh(old);

    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(listener.events()).contains("reuseDetected");
    assertThat(refresh(newest).statusCode()).isEqualTo(400);
    assertThat(refresh(successor).body()).isEqualTo("{\"error\":\"invalid_grant\"}");
  }

  @Test
  void aRevokedRefreshTokenIsInvalidGrant() throws Exception {
    String token = loginRefreshToken("alice");

    HttpResponse<String> revoke = send(form("/revoke", "refresh_token=" + token));
    clock.advance(Duration.ofSeconds(70));
    HttpResponse<String> refresh = refresh(token);

    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(refresh.statusCode()).isEqualTo(400);
    assertThat(refresh.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
  }

  @Test
  void badRequestsAreInvalidRequestAndNever5xx() throws Exception {
    String token = loginRefreshToken("alice");
    List<HttpRequest> bad =
        List.of(
            form("/token", "grant_type=password&username=a&password=b"),
            form("/token", "grant_type=authorization_code&code=x"),
            form("/token", "refresh_token=" + token),
            form("/token", "grant_type=refresh_token"),
            form("/token", "grant_type=refresh_token&refresh_token="),
            form("/token", refreshBody(token) + "&refresh_token=" + token),
            form("/token", refreshBody(token) + "&grant_type=refresh_token"),
            form("/token", "grant_type=refresh_token&refresh_token=%ZZ"),
            form("/token", ""),
            HttpRequest.newBuilder(URI.create(app.url() + "/token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + token + "\"}"))
                .build(),
            HttpRequest.newBuilder(URI.create(app.url() + "/token"))
                .POST(HttpRequest.BodyPublishers.ofString(refreshBody(token)))
                .build());
    for (HttpRequest request : bad) {
      HttpResponse<String> response = send(request);

      assertThat(response.statusCode()).as(request.toString()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("{\"error\":\"invalid_request\"}");
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }
    assertThat(reauthCalls).hasValue(0);
  }

  /**
   * A 100 KB body announced by {@code Content-Length} is refused from the headers alone: the client
   * sends only the headers (raw socket) and still gets the {@code 413}, so the endpoint did not
   * wait for, nor read, the body.
   */
  @Test
  void aBodyOver8KilobytesIs413WithoutBeingRead() throws Exception {
    URI uri = URI.create(app.url());
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/x-www-form-urlencoded\r\n"
                      + "Content-Length: "
                      + (100 * 1024)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      byte[] status = socket.getInputStream().readNBytes(12);

      assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
    }
    assertThat(reauthCalls).hasValue(0);
  }

  /** A chunked body (no Content-Length) is read only up to the limit, then refused. */
  @Test
  void aChunkedBodyOver8KilobytesIs413() throws Exception {
    byte[] big = ("grant_type=refresh_token&refresh_token=" + "A".repeat(9 * 1024)).getBytes();
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(app.url() + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();

    assertThat(send(chunked).statusCode()).isEqualTo(413);
  }

  @Test
  void getIs405() throws Exception {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(app.url() + "/token")).GET().build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void tokenResponsesWriteTheOAuthShape() throws Exception {
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(URI.create(app.url() + "/tokens?sub=bob"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    Map<String, Object> json = JSONObjectUtils.parse(login.body());
    assertThat(login.body()).startsWith("{\"access_token\":\"eyJ");
    assertThat(json).containsEntry("expires_in", 60L).containsEntry("token_type", "Bearer");
    assertThat(login.headers().firstValue("Pragma")).contains("no-cache");
  }
}
