package dev.jwtsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 tests 5 and 6 for an adapter's token endpoint, over real HTTP: the subclass starts an
 * application on 127.0.0.1 serving the adapter's endpoint at {@link #TOKEN} (for {@code POST} and
 * {@code GET}) and a token login at {@link #TOKENS}{@code ?sub=x} answering with the adapter's
 * token writer.
 */
public abstract class TokenEndpointScenarios {

  /** The refresh endpoint's path. */
  public static final String TOKEN = "/token";

  /** The token login's path ({@code ?sub=x}). */
  public static final String TOKENS = "/tokens";

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** The engine's clock; scenarios move it past the access lifetime. */
  protected final MutableClock clock = MutableClock.atFixedStart();

  final CapturingListener listener = new CapturingListener();

  /** How often the engine's {@code Reauth} ran. */
  protected final AtomicInteger reauthCalls = new AtomicInteger();

  ServerUnderTest app;

  /** Starts the application for {@code engine} on 127.0.0.1, port 0. */
  protected abstract ServerUnderTest start(JwtSession engine) throws Exception;

  @BeforeEach
  void startApp() throws Exception {
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
    app = start(engine);
  }

  @AfterEach
  void stopApp() throws Exception {
    app.close();
  }

  /** {@code path} on the application under test. */
  protected URI uri(String path) {
    return URI.create(app.baseUri() + path);
  }

  /** A form {@code POST} of {@code body} to {@link #TOKEN}. */
  protected HttpRequest form(String body) {
    return HttpRequest.newBuilder(uri(TOKEN))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** The form body of a refresh-token grant. */
  protected static String refreshBody(String token) {
    return "grant_type=refresh_token&refresh_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /** Sends {@code request}; fails on a 5xx or a response without {@code no-store}. */
  protected HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(request.toString()).isLessThan(500);
    assertThat(response.headers().firstValue("Cache-Control"))
        .as(request.toString())
        .contains("no-store");
    return response;
  }

  /** A refresh-token grant for {@code token} at {@link #TOKEN}. */
  protected HttpResponse<String> refresh(String token) throws Exception {
    return send(form(refreshBody(token)));
  }

  /** Logs {@code sub} in through {@link #TOKENS} and returns the refresh token it was given. */
  protected String loginRefreshToken(String sub) throws Exception {
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(uri(TOKENS + "?sub=" + sub))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(login.statusCode()).isEqualTo(200);
    return (String) JSONObjectUtils.parse(login.body()).get("refresh_token");
  }

  @Test
  void fiftyConcurrentRefreshesWithOneTokenAllGetTheIdenticalPairFromOneReauth() throws Exception {
    String token = loginRefreshToken("alice");
    clock.advance(Duration.ofSeconds(70));

    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      burst.add(CLIENT.sendAsync(form(refreshBody(token)), HttpResponse.BodyHandlers.ofString()));
    }

    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : burst) {
      assertThat(response.get().statusCode()).isEqualTo(200);
      assertThat(response.get().headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(response.get().headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      bodies.add(response.get().body());
    }
    assertThat(bodies).hasSize(50).containsOnly(bodies.get(0));
    assertThat(reauthCalls).hasValue(1);
    assertThat(JSONObjectUtils.parse(bodies.get(0)))
        .containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
        .containsEntry("token_type", "Bearer")
        .containsEntry("expires_in", 60L);
  }

  @Test
  void theOldTokenAfterTheGraceWindowIsInvalidGrantAndRevokesTheSuccessor() throws Exception {
    String old = loginRefreshToken("alice");
    clock.advance(Duration.ofSeconds(70));
    String successor = (String) JSONObjectUtils.parse(refresh(old).body()).get("refresh_token");
    clock.advance(Duration.ofSeconds(70));
    HttpResponse<String> used = refresh(successor);
    assertThat(used.statusCode()).isEqualTo(200);
    String newest = (String) JSONObjectUtils.parse(used.body()).get("refresh_token");
    clock.advance(Duration.ofSeconds(6));

    // Protocol v2: the old token's successor has been used, so presenting the old one is reuse.
    HttpResponse<String> replay = refresh(old);

    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(listener.events()).contains("reuseDetected");
    assertThat(refresh(newest).body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(refresh(successor).body()).isEqualTo("{\"error\":\"invalid_grant\"}");
  }

  @Test
  void badRequestsAreInvalidRequestAndNever5xx() throws Exception {
    String token = loginRefreshToken("alice");
    List<HttpRequest> bad =
        List.of(
            form("grant_type=password&username=a&password=b"),
            form("refresh_token=" + token),
            form("grant_type=refresh_token"),
            form("grant_type=refresh_token&refresh_token="),
            form(refreshBody(token) + "&refresh_token=" + token),
            form("grant_type=refresh_token&refresh_token=%ZZ"),
            form(""),
            HttpRequest.newBuilder(uri(TOKEN))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + token + "\"}"))
                .build());
    for (HttpRequest request : bad) {
      HttpResponse<String> response = send(request);

      assertThat(response.statusCode()).as(request.toString()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("{\"error\":\"invalid_request\"}");
    }
    assertThat(reauthCalls).hasValue(0);
  }

  /**
   * A 100 KB body announced by {@code Content-Length} is refused from the headers alone: only the
   * headers are sent (raw socket), and the {@code 413} still comes.
   */
  @Test
  void aBodyOver8KilobytesIs413WithoutBeingRead() throws Exception {
    try (Socket socket = new Socket(app.baseUri().getHost(), app.baseUri().getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + TOKEN
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
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
    byte[] big =
        ("grant_type=refresh_token&refresh_token=" + "A".repeat(9 * 1024))
            .getBytes(StandardCharsets.US_ASCII);
    HttpRequest chunked =
        HttpRequest.newBuilder(uri(TOKEN))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();

    assertThat(send(chunked).statusCode()).isEqualTo(413);
  }

  @Test
  void getIs405WithAllowPost() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(TOKEN)).GET().build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }
}
