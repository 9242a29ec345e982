package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting the demo the way a user does: from an environment map, on the system clock. */
class DemoAppTest {

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void aShortSecretFailsTheStartWithTheBuildersMessageAndTheVariable() {
    assertThatThrownBy(
            () -> DemoApp.start(DemoConfig.fromEnv(env("JWT_SESSION_ACCESS_SECRET", "too-short"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("access.secret: is 9 bytes; HS256 needs at least 32")
        .hasMessageContaining("access.secret <- JWT_SESSION_ACCESS_SECRET");
  }

  @Test
  void anInvalidCookieNameFailsTheStartNamingTheVariable() {
    assertThatThrownBy(
            () -> DemoApp.start(DemoConfig.fromEnv(env("JWT_SESSION_REFRESH_COOKIE", "bad name;"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refresh.cookieName: 'bad name;' is not a valid cookie name")
        .hasMessageContaining("JWT_SESSION_REFRESH_COOKIE");
  }

  @Test
  void aMalformedRedisUrlFailsTheStartNamingTheVariable() {
    assertThatThrownBy(
            () -> DemoApp.start(DemoConfig.fromEnv(env("JWT_SESSION_REDIS_URL", "not a url"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JWT_SESSION_REDIS_URL:");
  }

  @Test
  void aMalformedRedisUrlWithAPasswordFailsTheStartWithThePasswordRedacted() {
    assertThatThrownBy(
            () ->
                DemoApp.start(
                    DemoConfig.fromEnv(env("JWT_SESSION_REDIS_URL", "redis://app:hunter2@"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JWT_SESSION_REDIS_URL:")
        .hasMessageContaining("'redis://***@'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aTakenPortFailsTheStartNamingPort() {
    try (RunningDemo first = DemoApp.start(DemoConfig.fromEnv(env()))) {
      assertThatThrownBy(
              () -> DemoApp.start(DemoConfig.fromEnv(env("PORT", String.valueOf(first.port())))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + first.port())
          .hasMessageContaining("PORT");
    }
  }

  @Test
  void secureCookiesCanBeTurnedOn() {
    try (RunningDemo demo =
        DemoApp.start(
            DemoConfig.fromEnv(
                env(
                    "JWT_SESSION_SECURE_COOKIES",
                    "true",
                    "JWT_SESSION_ACCESS_COOKIE",
                    "a",
                    "JWT_SESSION_REFRESH_COOKIE",
                    "r")))) {
      Browser.Exchange login = new Browser(demo.uri()).login("bob", "bob-password");

      assertThat(login.setCookie("a").has("Secure")).isTrue();
      assertThat(login.setCookie("r").has("Secure")).isTrue();
    }
  }

  /**
   * The one test on the real clock, as an outside checker drives the demo: with a one-second access
   * lifetime and no leeway, a little over a second later the access token has expired.
   */
  @Test
  void onTheSystemClockTheAccessTokenRenewsRightAfterItsMaxAge()
      throws InterruptedException, ParseException {
    try (RunningDemo demo =
        DemoApp.start(DemoConfig.fromEnv(env("JWT_SESSION_ACCESS_MAX_AGE", "1")))) {
      Browser alice = new Browser(demo.uri());
      alice.login("alice", "alice-password");
      Thread.sleep(1_200);

      Browser.Exchange me = alice.get("/api/me");

      assertThat(me.status()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(me.body())).containsEntry("reauthenticated", true);
    }
  }
}
