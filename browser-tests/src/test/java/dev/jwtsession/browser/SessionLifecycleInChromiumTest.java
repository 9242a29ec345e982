package dev.jwtsession.browser;

import static dev.jwtsession.browser.DemoPage.ACCESS_COOKIE;
import static dev.jwtsession.browser.DemoPage.REFRESH_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's session in a real browser, from the login form to the logout button, with an access
 * token short enough to expire during the test.
 */
class SessionLifecycleInChromiumTest {

  private static final int ACCESS_SECONDS = 4;

  @RegisterExtension
  static final DemoBrowsers demo =
      DemoBrowsers.withEnv(Map.of("JWT_SESSION_ACCESS_MAX_AGE", String.valueOf(ACCESS_SECONDS)));

  @Test
  void loggingInThroughTheFormShowsTheNameTheClaimsAndARunningCountdown() {
    DemoPage page = demo.page().open();
    assertThat(page.showsLoginForm()).isTrue();
    assertThat(page.showsSession()).isFalse();

    page.logIn("alice", "alice-password");

    assertThat(page.browser().driver().getCurrentUrl()).isEqualTo(demo.url("/").toString());
    assertThat(page.showsLoginForm()).isFalse();
    assertThat(page.text("#who")).contains("Alice", "alice", "admin");
    assertThat(page.text("#claims"))
        .contains("sub", "alice")
        .contains("role", "admin")
        .contains("exp");
    assertThat(page.browser().has("#reauth-badge")).isFalse();
    String firstTick = page.text("#countdown");
    assertThat(firstTick).matches("[1-" + ACCESS_SECONDS + "] s");
    // The countdown is the page's script at work (allowed by the page's CSP): it must tick.
    new WebDriverWait(page.browser().driver(), Duration.ofSeconds(ACCESS_SECONDS + 2))
        .until(driver -> !page.text("#countdown").equals(firstTick));
  }

  @Test
  void sessionCookiesAreHttpOnlyLaxHostOnlyAndInvisibleToThePagesScript() {
    DemoPage page = demo.page().open().logIn("bob", "bob-password");
    assertThat(page.showsSession()).isTrue();

    for (String name : new String[] {ACCESS_COOKIE, REFRESH_COOKIE}) {
      Cookie cookie =
          page.browser().cookie(name).orElseThrow(() -> new AssertionError(name + " not stored"));
      assertThat(cookie.isHttpOnly()).as("%s HttpOnly", name).isTrue();
      assertThat(cookie.getSameSite()).as("%s SameSite", name).isEqualTo("Lax");
      assertThat(cookie.getPath()).as("%s Path", name).isEqualTo("/");
      assertThat(cookie.getDomain())
          .as("%s host-only (no Domain attribute)", name)
          .isEqualTo("127.0.0.1");
      assertThat(cookie.getExpiry()).as("%s Max-Age/Expires", name).isNotNull();
      assertThat(cookie.getValue())
          .as("%s value is a compact JWS", name)
          .matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }
    assertThat(page.browser().documentCookie())
        .doesNotContain(ACCESS_COOKIE)
        .doesNotContain(REFRESH_COOKIE);
  }

  /**
   * Its screenshot (1200x800, {@code target/screenshots}) is the README's {@code docs/demo.png}.
   */
  @Test
  void reloadAfterTheAccessLifetimeRenewsTheSessionSilentlyWithANewAccessCookie() {
    DemoPage page = demo.page().open().logIn("alice", "alice-password");
    Browser browser = page.browser();
    String access = browser.cookie(ACCESS_COOKIE).orElseThrow().getValue();
    String refresh = browser.cookie(REFRESH_COOKIE).orElseThrow().getValue();
    String family = page.text("#family-id");
    assertThat(page.text("#refresh-count")).isEqualTo("0");

    // What the person sees: the countdown runs out; and the browser drops the access cookie at its
    // Max-Age. Waiting on both (bounded) instead of sleeping a fixed time.
    new WebDriverWait(browser.driver(), Duration.ofSeconds(ACCESS_SECONDS + 6))
        .pollingEvery(Duration.ofMillis(200))
        .until(
            driver ->
                page.text("#countdown").startsWith("expired")
                    && browser.cookie(ACCESS_COOKIE).isEmpty());
    browser.reload();

    assertThat(page.showsSession()).isTrue();
    assertThat(page.text("#who")).contains("Alice");
    assertThat(browser.find("#reauth-badge").isDisplayed()).isTrue();
    assertThat(page.text("#refresh-count")).isEqualTo("1");
    assertThat(page.text("#family-id")).isEqualTo(family);
    assertThat(browser.cookie(ACCESS_COOKIE)).map(Cookie::getValue).get().isNotEqualTo(access);
    assertThat(browser.cookie(REFRESH_COOKIE))
        .as("rotation: a new refresh token too")
        .map(Cookie::getValue)
        .get()
        .isNotEqualTo(refresh);
  }

  @Test
  void logoutShowsTheLoginFormAgainAndRemovesBothCookies() {
    DemoPage page = demo.page().open().logIn("bob", "bob-password");
    assertThat(page.browser().cookie(ACCESS_COOKIE)).isPresent();
    assertThat(page.browser().cookie(REFRESH_COOKIE)).isPresent();

    page.click("#logout-button");

    assertThat(page.showsLoginForm()).isTrue();
    assertThat(page.showsSession()).isFalse();
    assertThat(page.browser().cookie(ACCESS_COOKIE)).isEmpty();
    assertThat(page.browser().cookie(REFRESH_COOKIE)).isEmpty();
    page.browser().reload();
    assertThat(page.showsLoginForm()).isTrue();
  }
}
