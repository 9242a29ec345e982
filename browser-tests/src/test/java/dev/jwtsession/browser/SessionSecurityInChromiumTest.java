package dev.jwtsession.browser;

import static dev.jwtsession.browser.DemoPage.ACCESS_COOKIE;
import static dev.jwtsession.browser.DemoPage.REFRESH_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Attacks and other devices in real browsers. The access token lives a minute here, so every access
 * cookie a test holds is still valid when it is used: what ends a session is the defence under
 * test, never the clock.
 */
class SessionSecurityInChromiumTest {

  @RegisterExtension
  static final DemoBrowsers demo = DemoBrowsers.withEnv(Map.of("JWT_SESSION_ACCESS_MAX_AGE", "60"));

  private static AttackerSite attacker;

  @BeforeAll
  static void startAttacker() {
    attacker = AttackerSite.postingTo(demo.url("/logout"));
  }

  @AfterAll
  static void stopAttacker() {
    attacker.close();
  }

  /**
   * SameSite alone would not keep the user logged in: the forged request arrives without cookies,
   * and a logout answered to it clears them, which the browser applies to a top-level navigation.
   * The origin check is what refuses it.
   */
  @Test
  void crossSiteFormPostToLogoutIsRefusedAndTheUserStaysLoggedIn() {
    DemoPage page = demo.page().open().logIn("alice", "alice-password");
    Browser browser = page.browser();
    Cookie access = browser.cookie(ACCESS_COOKIE).orElseThrow();
    Cookie refresh = browser.cookie(REFRESH_COOKIE).orElseThrow();

    visitAttackerAndLandOnLogout(browser);

    // The filter's origin check answered 403 before the application ran: no redirect to the page.
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(demo.url("/logout").toString());
    assertThat(browser.find("body").getText()).isEqualTo("Cross-site POST requests are forbidden");
    assertThat(browser.cookie(ACCESS_COOKIE)).map(Cookie::getValue).contains(access.getValue());
    assertThat(browser.cookie(REFRESH_COOKIE)).map(Cookie::getValue).contains(refresh.getValue());
    page.open();
    assertThat(page.showsSession()).isTrue();
    assertThat(page.text("#who")).contains("Alice");
    assertThat(browser.has("#reauth-badge")).isFalse();
  }

  @Test
  void crossSiteFormPostCarriesNeitherSessionCookie() {
    DemoPage page = demo.page().open().logIn("alice", "alice-password");
    Browser browser = page.browser();
    browser.devToolsEvents(); // drop what the login logged

    visitAttackerAndLandOnLogout(browser);

    // Chromium's own account of the forged request: both cookies held back by SameSite=Lax
    // (reported as SameSiteLax or, with schemeful same-site on, SchemefulSameSiteLax).
    Map<String, Object> sent =
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
            .until(driver -> cookiesOfTheForgedPost(browser).orElse(null));
    assertThat(blockedReasons(sent, ACCESS_COOKIE))
        .as("why %s was not sent", ACCESS_COOKIE)
        .anySatisfy(reason -> assertThat(reason).matches("(Schemeful)?SameSiteLax"));
    assertThat(blockedReasons(sent, REFRESH_COOKIE))
        .as("why %s was not sent", REFRESH_COOKIE)
        .anySatisfy(reason -> assertThat(reason).matches("(Schemeful)?SameSiteLax"));
  }

  @Test
  void logoutEverywhereEndsTheSessionInAnotherBrowserOnItsNextRequest() {
    DemoPage laptop = demo.page().open().logIn("alice", "alice-password");
    DemoPage phone = demo.page(demo.newBrowser()).open().logIn("alice", "alice-password");
    assertThat(phone.showsSession()).isTrue();
    assertThat(phone.text("#family-id")).isNotEqualTo(laptop.text("#family-id"));

    laptop.click("#logout-all-button");

    assertThat(laptop.showsLoginForm()).isTrue();
    assertThat(phone.browser().cookie(ACCESS_COOKIE))
        .as("phone still holds an unexpired access cookie")
        .isPresent();
    phone.browser().reload();
    assertThat(phone.showsLoginForm()).isTrue();
    assertThat(phone.showsSession()).isFalse();
    assertThat(phone.browser().cookie(ACCESS_COOKIE)).isEmpty();
    assertThat(phone.browser().cookie(REFRESH_COOKIE)).isEmpty();
  }

  /**
   * Opens the attacker's page, whose script posts the form, and waits until the demo's answer has
   * loaded: a refusal stays on {@code /logout}, an accepted logout would have redirected to {@code
   * /}.
   */
  private static void visitAttackerAndLandOnLogout(Browser browser) {
    browser.open(attacker.uri().toString());
    browser.awaitPageUnder(demo.url("/").toString());
  }

  /**
   * The {@code Network.requestWillBeSentExtraInfo} parameters of the cross-site {@code POST
   * /logout} (they list every cookie the browser considered and why it was blocked), once logged.
   */
  private static Optional<Map<String, Object>> cookiesOfTheForgedPost(Browser browser) {
    List<Map<String, Object>> events = new ArrayList<>(browser.devToolsEvents());
    Optional<String> requestId =
        events.stream()
            .filter(event -> "Network.requestWillBeSent".equals(event.get("method")))
            .map(event -> params(event))
            .filter(
                params -> {
                  Map<String, Object> request = map(params.get("request"));
                  return "POST".equals(request.get("method"))
                      && demo.url("/logout").toString().equals(request.get("url"));
                })
            .map(params -> (String) params.get("requestId"))
            .findFirst();
    return requestId.flatMap(
        id ->
            events.stream()
                .filter(event -> "Network.requestWillBeSentExtraInfo".equals(event.get("method")))
                .map(event -> params(event))
                .filter(params -> id.equals(params.get("requestId")))
                .findFirst());
  }

  private static List<String> blockedReasons(Map<String, Object> extraInfo, String cookieName) {
    List<String> reasons = new ArrayList<>();
    for (Object associated : (List<?>) extraInfo.getOrDefault("associatedCookies", List.of())) {
      Map<String, Object> entry = map(associated);
      if (cookieName.equals(map(entry.get("cookie")).get("name"))) {
        for (Object reason : (List<?>) entry.getOrDefault("blockedReasons", List.of())) {
          reasons.add(String.valueOf(reason));
        }
      }
    }
    return reasons;
  }

  private static Map<String, Object> params(Map<String, Object> event) {
    return map(event.get("params"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }
}
