package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.fixtures.MutableClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo for API clients, end to end over real HTTP: {@code POST /api/token}, {@code GET /api/me}
 * with {@code Authorization: Bearer}, {@code POST /api/token/refresh} and {@code POST
 * /api/token/revoke}.
 */
class DemoApiClientTest {

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  RunningDemo demo;

  @BeforeEach
  void start() {
    demo =
        DemoApp.start(
            DemoConfig.fromEnv(Map.of("PORT", "0", "JWT_SESSION_ACCESS_MAX_AGE", "60")), clock);
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  HttpRequest form(String path, String body) {
    return HttpRequest.newBuilder(demo.uri().resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isLessThan(500);
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    return response;
  }

  Map<String, Object> login(String user, String password) throws Exception {
    HttpResponse<String> response =
        send(form("/api/token", "username=" + user + "&password=" + password));
    assertThat(response.statusCode()).isEqualTo(200);
    return JSONObjectUtils.parse(response.body());
  }

  HttpResponse<String> refresh(Object token) throws Exception {
    return send(
        form(
            "/api/token/refresh",
            "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode((String) token, StandardCharsets.UTF_8)));
  }

  HttpResponse<String> me(Object accessToken) throws Exception {
    return send(
        HttpRequest.newBuilder(demo.uri().resolve("/api/me"))
            .header("Authorization", "Bearer " + accessToken)
            .GET()
            .build());
  }

  @Test
  void aTokenLoginsBearerTokenShowsTheUserAtApiMeWithoutCookies() throws Exception {
    Map<String, Object> tokens = login("alice", "alice-password");

    HttpResponse<String> me = me(tokens.get("access_token"));

    assertThat(tokens).containsEntry("token_type", "Bearer").containsEntry("expires_in", 60L);
    assertThat(me.statusCode()).isEqualTo(200);
    Map<String, Object> body = JSONObjectUtils.parse(me.body());
    assertThat(body).containsEntry("authenticated", true).containsEntry("via", "bearer");
  }

  @Test
  void wrongCredentialsAreInvalidGrant() throws Exception {
    HttpResponse<String> response =
        send(form("/api/token", "username=alice&password=wrong-password"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
  }

  @Test
  void concurrentRefreshesShareOnePairAndARevokedTokenIsInvalidGrant() throws Exception {
    Object refreshToken = login("bob", "bob-password").get("refresh_token");
    clock.advance(Duration.ofSeconds(61));
    String body =
        "grant_type=refresh_token&refresh_token="
            + URLEncoder.encode((String) refreshToken, StandardCharsets.UTF_8);

    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      burst.add(
          CLIENT.sendAsync(form("/api/token/refresh", body), HttpResponse.BodyHandlers.ofString()));
    }
    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : burst) {
      assertThat(response.get().statusCode()).isEqualTo(200);
      bodies.add(response.get().body());
    }
    assertThat(bodies).containsOnly(bodies.get(0));
    Map<String, Object> renewed = JSONObjectUtils.parse(bodies.get(0));
    assertThat(me(renewed.get("access_token")).statusCode()).isEqualTo(200);

    HttpResponse<String> revoke =
        send(form("/api/token/revoke", "token=" + renewed.get("refresh_token")));
    HttpResponse<String> afterRevoke = refresh(renewed.get("refresh_token"));

    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(afterRevoke.statusCode()).isEqualTo(400);
    assertThat(afterRevoke.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(me(renewed.get("access_token")).statusCode())
        .as("the demo checks access revocation")
        .isEqualTo(401);
  }

  @Test
  void badRefreshRequestsAre400And405() throws Exception {
    Object refreshToken = login("bob", "bob-password").get("refresh_token");

    assertThat(send(form("/api/token/refresh", "grant_type=password")).statusCode()).isEqualTo(400);
    assertThat(
            send(form(
                    "/api/token/refresh",
                    "grant_type=refresh_token&refresh_token="
                        + refreshToken
                        + "&refresh_token="
                        + refreshToken))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(demo.uri() + "api/token/refresh")).GET().build())
                .statusCode())
        .isEqualTo(405);
  }
}
