package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.redis.RedisServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo with {@code JWT_SESSION_REDIS_URL}: several demo nodes share sessions through Redis. */
class DemoRedisTest {

  RedisServerProcess redis;

  @BeforeEach
  void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  Map<String, String> env() {
    return DemoAppTest.env(
        "JWT_SESSION_REDIS_URL", redis.uri(),
        "JWT_SESSION_ACCESS_SECRET", "demo-redis-test-access-secret-32-bytes!!",
        "JWT_SESSION_REFRESH_SECRET", "demo-redis-test-refresh-secret-32-bytes!");
  }

  @Test
  void twoDemoNodesSharingRedisShareLoginsAndLogOutEverywhere() {
    assertTwoNodesShareLoginsAndLogOutEverywhere(env(), "Redis");
  }

  /**
   * Two demo nodes started from {@code env}: a login on one is a session on the other, and log out
   * everywhere on the other ends it on the first ({@code backend} names the shared store).
   */
  static void assertTwoNodesShareLoginsAndLogOutEverywhere(
      Map<String, String> env, String backend) {
    try (RunningDemo nodeA = DemoApp.start(DemoConfig.fromEnv(env));
        RunningDemo nodeB = DemoApp.start(DemoConfig.fromEnv(env))) {
      Browser onA = new Browser(nodeA.uri());
      assertThat(onA.login("alice", "alice-password").status()).isEqualTo(303);
      Browser onB = new Browser(nodeB.uri());
      onB.cookies().putAll(onA.cookies());

      assertThat(onB.get("/api/me").status()).isEqualTo(200);
      assertThat(onB.post("/logout-all", Map.of()).status()).isEqualTo(303);

      assertThat(onA.get("/api/me").status())
          .as("the login was revoked in %s, which node A checks on every request", backend)
          .isEqualTo(401);
    }
  }

  @Test
  void loginWhileRedisIsDownAnswers503WithoutCookiesAndRecoversWithoutARestart() {
    try (RunningDemo demo = DemoApp.start(DemoConfig.fromEnv(env()))) {
      redis.kill();
      Browser browser = new Browser(demo.uri());

      Browser.Exchange refused = browser.login("bob", "bob-password");

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.body()).contains(LoginServlet.STORE_UNAVAILABLE);
      assertThat(refused.setCookies()).isEmpty();
      assertThat(browser.get("/health").status()).isEqualTo(200);

      redis.restart();
      long deadline = System.nanoTime() + 15_000_000_000L;
      int status = 0;
      while (status != 303 && System.nanoTime() < deadline) {
        status = browser.login("bob", "bob-password").status();
      }
      assertThat(status).isEqualTo(303);
      assertThat(browser.get("/api/me").status()).isEqualTo(200);
    }
  }
}
