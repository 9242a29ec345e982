package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.redis.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation protocol v2 seen from outside ({@code docs/rotation-protocol.md}): a real HTTP client
 * against the demo, in memory, on Redis, and as two demo nodes on one Redis. Time is the demo's
 * injected clock, advanced by the test; "dropping a reply" is a copy of the cookie jar that sends
 * the request and is thrown away, so the browser keeps its old cookies.
 */
class RotationProtocolOverHttpTest {

  static final Duration PAST_ACCESS_LIFETIME =
      Duration.ofSeconds(DemoConfig.DEFAULT_ACCESS_MAX_AGE + 1);
  static final Duration PAST_GRACE =
      Duration.ofSeconds(DemoConfig.DEFAULT_REUSE_GRACE_SECONDS + 25);

  final MutableClock clock = new MutableClock(Instant.now());
  final List<AutoCloseable> running = new ArrayList<>();
  RedisServerProcess redis;

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  // ---- lost reply: renewed, no alarm (I2)

  @Test
  void inMemoryAClientThatDroppedARenewalReplyIsRenewedAfterTheGraceWindowWithoutAlarm() {
    RunningDemo node = node(Map.of());
    aDroppedRenewalReplyIsRenewedLaterWithoutAlarm(node, node);
  }

  @Test
  void onRedisAClientThatDroppedARenewalReplyIsRenewedAfterTheGraceWindowWithoutAlarm() {
    RunningDemo node = node(redisEnv());
    aDroppedRenewalReplyIsRenewedLaterWithoutAlarm(node, node);
  }

  @Test
  void acrossTwoNodesOnOneRedisAReplyDroppedByNodeAIsRenewedByNodeBWithoutAlarm() {
    Map<String, String> env = redisEnv();
    aDroppedRenewalReplyIsRenewedLaterWithoutAlarm(node(env), node(env));
  }

  // ---- once the successor was used, the old cookie is theft (I3, I4)

  @Test
  void inMemoryOnceTheSuccessorWasUsedTheOldCookieRevokesTheFamilyAndTheSuccessorStopsWorking() {
    RunningDemo node = node(Map.of());
    theOldCookieRevokesTheFamilyOnceItsSuccessorWasUsed(node, node);
  }

  @Test
  void onRedisOnceTheSuccessorWasUsedTheOldCookieRevokesTheFamilyAndTheSuccessorStopsWorking() {
    RunningDemo node = node(redisEnv());
    theOldCookieRevokesTheFamilyOnceItsSuccessorWasUsed(node, node);
  }

  @Test
  void acrossTwoNodesOnOneRedisTheOldCookieOnARevokesTheFamilyTheSuccessorUsedOnB() {
    Map<String, String> env = redisEnv();
    theOldCookieRevokesTheFamilyOnceItsSuccessorWasUsed(node(env), node(env));
  }

  // ---- the scenarios

  private void aDroppedRenewalReplyIsRenewedLaterWithoutAlarm(RunningDemo a, RunningDemo b) {
    Browser browser = new Browser(a.uri());
    assertThat(browser.login("alice", "alice-password").status()).isEqualTo(303);
    Map<String, String> before = Map.copyOf(browser.cookies());
    clock.advance(PAST_ACCESS_LIFETIME);

    Browser.Exchange dropped = browser.copy().get("/api/me");
    assertThat(dropped.status()).isEqualTo(200);
    assertThat(dropped.setCookies()).as("the reply that never arrives renewed both").hasSize(2);
    clock.advance(PAST_GRACE);
    Browser onB = new Browser(b.uri());
    onB.cookies().putAll(before);
    Browser.Exchange retry = onB.get("/api/me");

    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body()).contains("\"reauthenticated\":true");
    // No alarm: the family lives on, and the cookies of the retry keep working on both nodes.
    clock.advance(PAST_ACCESS_LIFETIME);
    assertThat(onB.get("/api/me").status()).isEqualTo(200);
    Browser onA = new Browser(a.uri());
    onA.cookies().putAll(onB.cookies());
    assertThat(onA.get("/api/me").status()).isEqualTo(200);
    clock.advance(PAST_ACCESS_LIFETIME);
    assertThat(onA.get("/api/me").body()).contains("\"reauthenticated\":true");
  }

  private void theOldCookieRevokesTheFamilyOnceItsSuccessorWasUsed(RunningDemo a, RunningDemo b) {
    Browser browser = new Browser(a.uri());
    assertThat(browser.login("alice", "alice-password").status()).isEqualTo(303);
    Browser stolen = browser.copy();
    clock.advance(PAST_ACCESS_LIFETIME);
    assertThat(browser.get("/api/me").body()).contains("\"reauthenticated\":true");
    clock.advance(PAST_ACCESS_LIFETIME);
    Browser onB = new Browser(b.uri());
    onB.cookies().putAll(browser.cookies());
    assertThat(onB.get("/api/me").body())
        .as("the successor is used")
        .contains("\"reauthenticated\":true");
    clock.advance(PAST_GRACE);

    Browser.Exchange replay = stolen.get("/api/me");

    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.setCookies()).as("both cookies cleared").hasSize(2);
    assertThat(onB.get("/api/me").status())
        .as("the successor's access token is refused at once (the demo checks revocation)")
        .isEqualTo(401);
    Browser newest = new Browser(a.uri());
    newest.cookies().putAll(browser.cookies());
    clock.advance(PAST_ACCESS_LIFETIME);
    assertThat(newest.get("/api/me").status())
        .as("and no refresh token of the family renews")
        .isEqualTo(401);
  }

  // ---- nodes

  private RunningDemo node(Map<String, String> extra) {
    List<String> pairs =
        new ArrayList<>(
            List.of(
                "JWT_SESSION_ACCESS_SECRET", "rotation-v2-http-test-access-secret-32b!",
                "JWT_SESSION_REFRESH_SECRET", "rotation-v2-http-test-refresh-secret-32b"));
    extra.forEach(
        (k, v) -> {
          pairs.add(k);
          pairs.add(v);
        });
    RunningDemo demo =
        DemoApp.start(DemoConfig.fromEnv(DemoAppTest.env(pairs.toArray(String[]::new))), clock);
    running.add(demo);
    return demo;
  }

  private Map<String, String> redisEnv() {
    if (redis == null) {
      redis = RedisServerProcess.start();
      running.add(0, redis::close);
    }
    return Map.of("JWT_SESSION_REDIS_URL", redis.uri());
  }
}
