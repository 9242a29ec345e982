package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.LogCapture;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real application on the Redis store while {@code redis-server} is killed and restarted:
 * requests with a valid access token keep being served, refreshes are refused (fail closed) with a
 * 401 and no 5xx, the refresh cookie is kept, and once Redis is back the same cookie renews the
 * session without restarting the application.
 *
 * <p>Redis runs with an append-only file synced on every write, as a production Redis does, so the
 * restarted server still knows the session.
 */
class RedisOutageOverHttpTest {

  /** How long Redis may take to be reachable again after a restart; a bound, not an expectation. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

  private final MutableClock clock = new MutableClock(Instant.now());
  private LogCapture log;

  @TempDir Path redisData;

  private RedisServerProcess redis;
  private AppNode node;

  @BeforeEach
  void startRedisAndCaptureLogs() {
    redis = RedisServerProcess.startPersistent(redisData);
    log = LogCapture.of(RedisRefreshTokenStore.class.getName());
  }

  @AfterEach
  void stopEverything() {
    log.close();
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void whileRedisIsDownAccessTokensAreServedAndRefreshesRefusedUntilItIsBackWithoutAnyRestart()
      throws Exception {
    node =
        AppNode.start(
            "A",
            redis.uri(),
            clock,
            AppNode.Options.defaults().withCommandTimeout(COMMAND_TIMEOUT));
    Browser user = new Browser("");
    user.post(node.url("/login?sub=alice"));
    String family = sidOf(user.get(node.url("/me")).body());

    for (int i = 0; i < 30; i++) {
      if (i == 10) {
        redis.kill();
      }
      HttpResponse<String> response = user.get(node.url("/me"));
      assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
      assertThat(response.body()).isEqualTo("sub=alice;reauth=false;rot=0;sid=" + family);
      assertThat(Browser.setCookies(response)).isEmpty();
    }

    clock.advance(AppNode.ACCESS_LIFETIME.plusMinutes(1));
    String expiredAccess = user.cookies().remove("app_session"); // a browser drops it at Max-Age
    String refreshCookie = user.cookies().get("app_refresh");
    for (int attempt = 0; attempt < 3; attempt++) {
      HttpResponse<String> refused = user.get(node.url("/me"));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).isEqualTo("anonymous");
      assertThat(Browser.setCookies(refused))
          .as("nothing cleared: the session is not over")
          .isEmpty();
    }
    assertThat(node.events().count("rejected:REFRESH:STORE_UNAVAILABLE")).isEqualTo(3);
    assertThat(node.events().events()).noneMatch(e -> e.contains("REVOKED") || e.contains("REUSE"));

    // A client that still sends its expired access cookie gets only that one cleared.
    HttpResponse<String> stale =
        fromJar(Map.of("app_session", expiredAccess, "app_refresh", refreshCookie))
            .get(node.url("/me"));
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(Browser.setCookies(stale)).noneMatch(c -> c.startsWith("app_refresh="));
    assertThat(node.events().events()).contains("rejected:ACCESS:EXPIRED");

    List<LogRecord> warnings =
        log.records().stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    assertThat(warnings)
        .as("one clear line for the outage, not one per refused refresh (4 refused)")
        .hasSizeBetween(1, 3)
        .allSatisfy(
            r ->
                assertThat(new SimpleFormatter().formatMessage(r))
                    .contains("refreshes are refused (fail closed)")
                    .doesNotContain(refreshCookie));

    redis.restart();
    AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
    awaitUntil(
        () -> {
          HttpResponse<String> response = user.get(node.url("/me"));
          assertThat(response.statusCode()).isIn(200, 401);
          assertThat(Browser.setCookies(response)).noneMatch(c -> c.contains("Max-Age=0"));
          answer.set(response);
          return response.statusCode() == 200;
        });
    HttpResponse<String> renewed = answer.get();

    assertThat(renewed.body()).isEqualTo("sub=alice;reauth=true;rot=1;sid=" + family);
    assertThat(user.cookies().get("app_refresh")).isNotEqualTo(refreshCookie);
    assertThat(node.events().count("reuseDetected")).isZero();
    clock.advance(AppNode.ACCESS_LIFETIME.plusMinutes(1));
    assertThat(user.get(node.url("/me")).body())
        .isEqualTo("sub=alice;reauth=true;rot=2;sid=" + family);
  }

  @Test
  void withTheAccessRevocationCheckOnAValidAccessTokenIsStillServedWhileRedisIsDown()
      throws Exception {
    node =
        AppNode.start(
            "A",
            redis.uri(),
            clock,
            AppNode.Options.defaults()
                .checkingAccessRevocation()
                .withCommandTimeout(COMMAND_TIMEOUT));
    Browser user = new Browser("");
    Browser otherDevice = new Browser("");
    user.post(node.url("/login?sub=alice"));
    otherDevice.post(node.url("/login?sub=alice"));

    for (int i = 0; i < 20; i++) {
      if (i == 5) {
        redis.kill();
      }
      HttpResponse<String> response = user.get(node.url("/me"));
      assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
      assertThat(response.body()).startsWith("sub=alice;reauth=false");
    }
    assertThat(node.events().count("rejected:ACCESS:STORE_UNAVAILABLE"))
        .as("availability over immediacy: served, and the listener hears why it was not checked")
        .isEqualTo(15);

    redis.restart();
    awaitUntil(
        () -> {
          long unchecked = node.events().count("rejected:ACCESS:STORE_UNAVAILABLE");
          assertThat(user.get(node.url("/me")).statusCode()).isEqualTo(200);
          return node.events().count("rejected:ACCESS:STORE_UNAVAILABLE")
              == unchecked; // reached Redis
        });
    assertThat(otherDevice.post(node.url("/logout-all")).statusCode()).isEqualTo(204);

    assertThat(user.get(node.url("/me")).statusCode())
        .as("with Redis back, revocation is immediate again")
        .isEqualTo(401);
    assertThat(node.events().events()).contains("rejected:ACCESS:REVOKED");
  }

  /** One poll: sends requests, asserts what every answer on the way must be, says if done. */
  @FunctionalInterface
  private interface Poll {
    boolean done() throws Exception;
  }

  /** Polls until done, at most for {@link #RECOVERY}; Lettuce reconnects in the background. */
  private static void awaitUntil(Poll poll) throws Exception {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (!poll.done()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the application did not reach Redis again within " + RECOVERY);
      }
      Thread.sleep(50);
    }
  }

  private static Browser fromJar(Map<String, String> cookies) {
    Browser browser = new Browser("");
    browser.cookies().putAll(cookies);
    return browser;
  }

  private static String sidOf(String body) {
    return body.substring(body.indexOf("sid=") + 4);
  }
}
