package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.servlet.TokenEndpointServlet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API clients' refresh endpoint ({@link TokenEndpointServlet}) on the Redis store while {@code
 * redis-server} is killed and restarted: {@code 503 temporarily_unavailable} (never a refusal that
 * would log the client out), then {@code 200} with the same refresh token once Redis is back.
 */
class TokenEndpointOutageTest {

  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final MutableClock clock = new MutableClock(Instant.now());

  @TempDir Path redisData;

  private RedisServerProcess redis;
  private RedisRefreshTokenStore store;
  private Server server;
  private JwtSession engine;
  private String url;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.startPersistent(redisData);
    store =
        RedisRefreshTokenStore.builder()
            .uri(redis.uri())
            .commandTimeout(Duration.ofMillis(300))
            .build();
    engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret("outage-test-access-secret-of-32-bytes-long"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secret("outage-test-refresh-secret-of-32-bytes-lon"))
            .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
            .rotation(r -> r.store(store))
            .bearer(b -> b.enabled(true))
            .clock(clock)
            .build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new TokenEndpointServlet(engine)), "/token");
    server.setHandler(context);
    server.start();
    url = "http://127.0.0.1:" + connector.getLocalPort() + "/token";
  }

  @AfterEach
  void stop() throws Exception {
    try {
      server.stop();
      store.close();
    } finally {
      redis.close();
    }
  }

  private HttpResponse<String> refresh(String token) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=refresh_token&refresh_token="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isIn(200, 503);
    return response;
  }

  @Test
  void whileRedisIsDownRefreshIs503AndOnceItIsBackTheSameTokenRenews() throws Exception {
    String token =
        engine
            .issueTokens(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")))
            .refreshToken()
            .orElseThrow();
    clock.advance(Duration.ofSeconds(70));
    redis.kill();

    HttpResponse<String> down = refresh(token);

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).isEqualTo("{\"error\":\"temporarily_unavailable\"}");
    assertThat(down.headers().firstValue("Cache-Control")).contains("no-store");

    redis.restart();
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    HttpResponse<String> back = refresh(token);
    while (back.statusCode() != 200) {
      assertThat(System.nanoTime())
          .as("Redis reachable again within " + RECOVERY)
          .isLessThan(deadline);
      Thread.sleep(50); // Lettuce reconnects in the background
      back = refresh(token);
    }
    assertThat(back.body()).contains("\"refresh_token\":\"").contains("\"token_type\":\"Bearer\"");
  }
}
