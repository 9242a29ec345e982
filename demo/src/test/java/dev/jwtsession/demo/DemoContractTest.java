package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.demo.Browser.Exchange;
import dev.jwtsession.fixtures.MutableClock;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's HTTP contract, end to end: a real Jetty on a free loopback port, driven by {@code
 * java.net.http.HttpClient} with hand-kept cookie jars. Token time comes from a clock the tests
 * advance, so nothing sleeps.
 */
class DemoContractTest {

  static final String ACCESS = "jwt_session_access";
  static final String REFRESH = "jwt_session_refresh";
  static final Map<String, String> ENV =
      Map.of(
          "PORT", "0",
          "JWT_SESSION_ACCESS_MAX_AGE", "2");

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  RunningDemo demo;

  @BeforeEach
  void start() {
    demo = DemoApp.start(DemoConfig.fromEnv(ENV), clock);
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  Browser browser() {
    return new Browser(demo.uri());
  }

  Browser loggedIn(String user) {
    Browser browser = browser();
    assertThat(browser.login(user, user + "-password").status()).isEqualTo(303);
    return browser;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> claimsOf(Exchange me) throws ParseException {
    return (Map<String, Object>) JSONObjectUtils.parse(me.body()).get("claims");
  }

  @Test
  void listensOnLoopbackAtThePickedPort() {
    assertThat(demo.port()).isPositive();
    assertThat(demo.uri().toString()).isEqualTo("http://127.0.0.1:" + demo.port() + "/");
  }

  @Test
  void healthAnswersOkWithoutAnySessionWork() {
    // A bad access cookie would be cleared by the session filter: no Set-Cookie proves it never
    // ran.
    Exchange health =
        browser().get("/health", "Cookie", ACCESS + "=not-a-token; " + REFRESH + "=x");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");
    assertThat(health.setCookies()).isEmpty();
  }

  @Test
  void anonymousHomeShowsTheLoginFormWithSecurityHeaders() {
    Exchange home = browser().get("/");

    assertThat(home.status()).isEqualTo(200);
    assertThat(home.header("Content-Type")).startsWith("text/html");
    assertThat(home.body())
        .contains("id=\"login-form\" method=\"post\" action=\"/login\"")
        .contains("id=\"username\" name=\"username\"")
        .contains("id=\"password\" name=\"password\" type=\"password\"")
        .contains("id=\"login-button\"")
        .doesNotContain("id=\"error\"", "id=\"who\"");
    assertThat(home.header("Content-Security-Policy"))
        .contains("script-src 'self'", "style-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(home.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(home.header("Referrer-Policy")).isEqualTo("same-origin");
    assertThat(home.header("Cache-Control")).isEqualTo("no-store");
    assertThat(home.setCookies()).isEmpty();
  }

  @Test
  void pageAssetsAreServedFromTheDemoItself() {
    Exchange css = browser().get("/static/app.css");
    Exchange js = browser().get("/static/app.js");

    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("Content-Type")).startsWith("text/css");
    assertThat(css.body()).contains("system-ui").doesNotContain("@import", "url(http");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type")).startsWith("text/javascript");
    assertThat(js.body()).contains("countdown");
    assertThat(browser().get("/static/../pom.xml").status()).isIn(400, 404);
    assertThat(browser().get("/static/DemoApp.class").status()).isEqualTo(404);
  }

  @Test
  void anonymousApiMeIs401WithExactlyAuthenticatedFalse() {
    Exchange me = browser().get("/api/me");

    assertThat(me.status()).isEqualTo(401);
    assertThat(me.header("Content-Type")).isEqualTo("application/json");
    assertThat(me.body()).isEqualTo("{\"authenticated\":false}");
    assertThat(me.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void wrongPasswordIs401WithTheFormAnErrorAndNoCookie() {
    for (String[] attempt :
        new String[][] {{"alice", "bob-password"}, {"alice", ""}, {"mallory", "alice-password"}}) {
      Browser browser = browser();

      Exchange login = browser.login(attempt[0], attempt[1]);

      assertThat(login.status()).isEqualTo(401);
      assertThat(login.header("Content-Type")).startsWith("text/html");
      assertThat(login.body())
          .contains("id=\"login-form\"", "id=\"error\"", LoginServlet.WRONG_CREDENTIALS);
      assertThat(login.response().headers().allValues("Set-Cookie")).isEmpty();
      assertThat(browser.get("/api/me").status()).isEqualTo(401);
    }
  }

  @Test
  void userDerivedTextIsHtmlEscaped() {
    Exchange login = browser().login("<script>alert('x')</script>\"", "nope");

    assertThat(login.status()).isEqualTo(401);
    assertThat(login.body())
        .doesNotContain("<script>alert")
        .contains("value=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;\"");
  }

  @Test
  void loginRedirectsHomeAndSetsBothCookiesWithTheDemoAttributes() {
    Browser browser = browser();

    Exchange login = browser.login("alice", "alice-password");

    assertThat(login.status()).isEqualTo(303);
    assertThat(login.header("Location")).isEqualTo("/");
    assertThat(login.response().headers().allValues("Set-Cookie")).hasSize(2);
    SetCookieLine access = login.setCookie(ACCESS);
    SetCookieLine refresh = login.setCookie(REFRESH);
    for (SetCookieLine cookie : new SetCookieLine[] {access, refresh}) {
      assertThat(cookie.value()).isNotEmpty();
      assertThat(cookie.has("HttpOnly")).as(cookie.name() + " HttpOnly").isTrue();
      assertThat(cookie.attribute("SameSite")).isEqualTo("Lax");
      assertThat(cookie.attribute("Path")).isEqualTo("/");
      assertThat(cookie.has("Secure")).as(cookie.name() + " Secure").isFalse();
      assertThat(cookie.has("Domain")).isFalse();
    }
    assertThat(access.attribute("Max-Age")).isEqualTo("2");
    assertThat(refresh.attribute("Max-Age")).isEqualTo("604800");
    assertThat(browser.cookies()).containsOnlyKeys(ACCESS, REFRESH);
  }

  @Test
  void apiMeAfterLoginReturnsTheAccessClaims() throws ParseException {
    Browser alice = loggedIn("alice");

    Exchange me = alice.get("/api/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.header("Content-Type")).isEqualTo("application/json");
    assertThat(me.header("Cache-Control")).isEqualTo("no-store");
    Map<String, Object> json = JSONObjectUtils.parse(me.body());
    assertThat(json).containsEntry("authenticated", true).containsEntry("reauthenticated", false);
    long now = clock.instant().getEpochSecond();
    assertThat(claimsOf(me))
        .containsEntry("sub", "alice")
        .containsEntry("name", "Alice")
        .containsEntry("role", "admin")
        .containsEntry("iat", now)
        .containsEntry("exp", now + 2);
    assertThat(me.setCookies()).isEmpty();
  }

  @Test
  void bobHasTheUserRole() throws ParseException {
    Exchange me = loggedIn("bob").get("/api/me");

    assertThat(claimsOf(me)).containsEntry("sub", "bob").containsEntry("role", "user");
  }

  @Test
  void homeAfterLoginShowsWhoClaimsCountdownFamilyAndLogoutButtons() throws ParseException {
    Browser alice = loggedIn("alice");
    String family = (String) claimsOf(alice.get("/api/me")).get("sid");

    Exchange home = alice.get("/");

    assertThat(home.status()).isEqualTo(200);
    assertThat(home.header("Cache-Control")).isEqualTo("no-store");
    assertThat(home.header("Content-Security-Policy")).doesNotContain("unsafe-inline");
    assertThat(home.body())
        .contains("id=\"who\"", "Alice", "<code>alice</code>", "admin")
        .contains(
            "<table id=\"claims\">", "<code>sub</code>", "<code>role</code>", "<code>exp</code>")
        .containsSubsequence(
            "<code>sub</code>",
            "<code>name</code>",
            "<code>role</code>",
            "<code>iat</code>",
            "<code>exp</code>",
            "<code>sid</code>",
            "<code>rot</code>")
        .contains("id=\"countdown\" data-remaining=\"2\"")
        .contains("<code id=\"family-id\">" + family + "</code>")
        .contains("<span id=\"refresh-count\">0</span>")
        .contains("method=\"post\" action=\"/logout\"", "id=\"logout-button\"")
        .contains("method=\"post\" action=\"/logout-all\"", "id=\"logout-all-button\"")
        .doesNotContain("id=\"reauth-badge\"", "id=\"login-form\"", "<script>");
  }

  @Test
  void afterTheAccessLifetimeTheRefreshTokenSilentlyReauthenticates() throws ParseException {
    Browser alice = loggedIn("alice");
    Map<String, String> before = Map.copyOf(alice.cookies());
    String family = (String) claimsOf(alice.get("/api/me")).get("sid");
    clock.advance(Duration.ofSeconds(3));

    Exchange me = alice.get("/api/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(me.body())).containsEntry("reauthenticated", true);
    assertThat(claimsOf(me))
        .containsEntry("sub", "alice")
        .containsEntry("name", "Alice")
        .containsEntry("role", "admin")
        .containsEntry("sid", family)
        .containsEntry("rot", 1L)
        .containsEntry("exp", clock.instant().getEpochSecond() + 2);
    assertThat(me.setCookie(ACCESS).value()).isNotEqualTo(before.get(ACCESS));
    assertThat(me.setCookie(REFRESH).value()).isNotEqualTo(before.get(REFRESH));
    assertThat(me.setCookie(ACCESS).attribute("Max-Age")).isEqualTo("2");

    Exchange home = alice.get("/");
    assertThat(home.body())
        .doesNotContain("id=\"reauth-badge\"")
        .contains("<span id=\"refresh-count\">1</span>");
    clock.advance(Duration.ofSeconds(3));
    assertThat(alice.get("/").body())
        .contains("id=\"reauth-badge\"")
        .contains("<span id=\"refresh-count\">2</span>");
  }

  @Test
  void logoutRedirectsHomeClearsBothCookiesAndEndsTheSession() {
    Browser alice = loggedIn("alice");
    Browser copyOfTheCookies = alice.copy();

    Exchange logout = alice.post("/logout", Map.of());

    assertThat(logout.status()).isEqualTo(303);
    assertThat(logout.header("Location")).isEqualTo("/");
    for (String name : new String[] {ACCESS, REFRESH}) {
      SetCookieLine cleared = logout.setCookie(name);
      assertThat(cleared.value()).isEmpty();
      assertThat(cleared.attribute("Max-Age")).isEqualTo("0");
      assertThat(cleared.attribute("Path")).isEqualTo("/");
    }
    assertThat(alice.cookies()).isEmpty();
    assertThat(alice.get("/api/me").status()).isEqualTo(401);
    // The family is revoked: replaying the old cookies is anonymous too, even past access expiry.
    assertThat(copyOfTheCookies.get("/api/me").status()).isEqualTo(401);
    clock.advance(Duration.ofSeconds(3));
    assertThat(copyOfTheCookies.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void crossSiteFormPostIsRefusedBeforeTheHandlerAndSetsNoCookie() {
    Browser alice = loggedIn("alice");

    Exchange forged = alice.post("/logout", Map.of(), "Origin", "http://evil.example");

    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.header("Content-Type")).startsWith("text/plain");
    assertThat(forged.response().headers().allValues("Set-Cookie")).isEmpty();
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
    assertThat(
            alice
                .post(
                    "/login",
                    Map.of("username", "bob", "password", "bob-password"),
                    "Origin",
                    "http://evil.example")
                .status())
        .isEqualTo(403);
  }

  @Test
  void crossOriginJsonPostToLogoutIs403AndTheSessionSurvives() {
    Browser alice = loggedIn("alice");

    Exchange forged =
        alice.postJson(
            "/logout", "{}", "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site");

    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.header("Content-Type")).startsWith("text/plain");
    assertThat(forged.body()).isEqualTo("Cross-site POST requests are forbidden");
    assertThat(forged.setCookies()).isEmpty();
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void crossOriginPostWithoutContentTypeToLogoutIs403AndTheSessionSurvives() {
    Browser alice = loggedIn("alice");

    Exchange noCorsBlob =
        alice.postWithoutContentType("/logout", "x", "Sec-Fetch-Site", "cross-site");
    Exchange withOriginOnly =
        alice.postWithoutContentType("/logout", "x", "Origin", "http://evil.example");

    assertThat(noCorsBlob.response().request().headers().firstValue("Content-Type")).isEmpty();
    assertThat(noCorsBlob.status()).isEqualTo(403);
    assertThat(withOriginOnly.status()).isEqualTo(403);
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void loginAndRenewalResponsesAreNoStore() {
    Browser alice = browser();
    Exchange login = alice.login("alice", "alice-password");
    clock.advance(Duration.ofSeconds(3));

    Exchange renewal = alice.get("/api/me");

    assertThat(login.setCookies()).hasSize(2);
    assertThat(login.response().headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(renewal.setCookies()).hasSize(2);
    assertThat(renewal.response().headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void sameOriginFormPostPasses() {
    Browser alice = loggedIn("alice");
    String origin = "http://127.0.0.1:" + demo.port();

    assertThat(alice.post("/logout", Map.of(), "Origin", origin).status()).isEqualTo(303);
  }

  @Test
  void logoutEverywhereEndsEveryBrowserOfTheUserAndNoOneElse() {
    Browser laptop = loggedIn("alice");
    Browser phone = loggedIn("alice");
    Browser bob = loggedIn("bob");

    Exchange logoutAll = laptop.post("/logout-all", Map.of());

    assertThat(logoutAll.status()).isEqualTo(303);
    assertThat(logoutAll.header("Location")).isEqualTo("/");
    assertThat(logoutAll.setCookie(ACCESS).clears()).isTrue();
    assertThat(logoutAll.setCookie(REFRESH).clears()).isTrue();
    assertThat(laptop.get("/api/me").status()).isEqualTo(401);
    Exchange phoneNext = phone.get("/api/me");
    assertThat(phoneNext.status()).isEqualTo(401);
    assertThat(phoneNext.body()).isEqualTo("{\"authenticated\":false}");
    assertThat(phone.get("/").body()).contains("id=\"login-form\"");
    assertThat(bob.get("/api/me").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(3)); // the phone's refresh token is revoked as well
    assertThat(phone.copy().get("/api/me").status()).isEqualTo(401);
    assertThat(bob.get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void aRefreshTokenRotatedMomentsBeforeLogoutCannotRevive() {
    Browser alice = loggedIn("alice");
    clock.advance(Duration.ofSeconds(3));
    Browser beforeRotation = alice.copy();
    assertThat(alice.get("/api/me").status()).isEqualTo(200); // rotates the refresh token

    assertThat(alice.post("/logout", Map.of()).status()).isEqualTo(303);

    // Still inside the rotation grace window: the old refresh token must not be answered anyway.
    Exchange replay = beforeRotation.get("/api/me");
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.setCookies()).allMatch(SetCookieLine::clears);
  }

  @Test
  void logoutEverywhereWhenAnonymousJustRedirects() {
    Exchange logoutAll = browser().post("/logout-all", Map.of());

    assertThat(logoutAll.status()).isEqualTo(303);
    assertThat(logoutAll.header("Location")).isEqualTo("/");
  }

  @Test
  void loggingInAgainEndsThePreviousLoginOfThatBrowser() {
    Browser browser = loggedIn("alice");
    Browser previous = browser.copy();

    Exchange again = browser.login("bob", "bob-password");

    assertThat(again.status()).isEqualTo(303);
    assertThat(again.response().headers().allValues("Set-Cookie")).hasSize(2);
    assertThat(again.setCookie(ACCESS).clears()).isFalse();
    assertThat(again.setCookie(REFRESH).clears()).isFalse();

    assertThat(browser.get("/api/me").body()).contains("\"sub\":\"bob\"");
    assertThat(previous.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void unknownPathsAre404WithoutSessionWork() {
    Exchange missing = browser().get("/nope", "Cookie", ACCESS + "=junk");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.setCookies()).isEmpty();
  }
}
