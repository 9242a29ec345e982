package dev.jwtsession.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.spring.boot.JwtSessionBuilderCustomizer;
import dev.jwtsession.testkit.Browser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The example application started as its {@code main} does, on a random loopback port, with a clock
 * the test moves (a test customizer): its HTTP contract over real HTTP.
 */
class DemoApplicationTest {

  static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  static ConfigurableApplicationContext app;
  static String base;

  @BeforeAll
  static void start() {
    SpringApplication application = DemoApplication.application(Map.of());
    application.addInitializers(
        context ->
            ((GenericApplicationContext) context)
                .registerBean(
                    "testClock",
                    JwtSessionBuilderCustomizer.class,
                    () -> builder -> builder.clock(clock)));
    app =
        application.run(
            "--server.port=0", "--server.address=127.0.0.1", "--jwt-session.access.max-age=10s");
    base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  static HttpResponse<String> postForm(Browser browser, String path, String form, String origin)
      throws Exception {
    HttpRequest.Builder request =
        browser
            .request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return browser.send(request.build());
  }

  static Browser loggedIn(String user) throws Exception {
    Browser browser = new Browser(base);
    HttpResponse<String> login =
        postForm(
            browser,
            "/login",
            "username="
                + user
                + "&password="
                + URLEncoder.encode(user + "-password", StandardCharsets.UTF_8),
            base);
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).contains("/");
    assertThat(browser.cookies()).containsKeys("jwt_session_access", "jwt_session_refresh");
    return browser;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(HttpResponse<String> response) {
    return JsonParserFactory.getJsonParser().parseMap(response.body());
  }

  @Test
  void aliceLogsInAndApiMeShowsHerClaims() throws Exception {
    Browser alice = loggedIn("alice");

    HttpResponse<String> me = alice.get("/api/me");
    assertThat(me.statusCode()).isEqualTo(200);
    Map<String, Object> body = json(me);
    assertThat(body).containsEntry("authenticated", true).containsEntry("reauthenticated", false);
    assertThat((Map<String, Object>) body.get("claims"))
        .containsEntry("sub", "alice")
        .containsEntry("role", "admin")
        .containsEntry("name", "Alice");
    assertThat(alice.get("/").body()).contains("Signed in as alice");
  }

  @Test
  void aWrongPasswordAnswers401WithTheFormAndSetsNoCookie() throws Exception {
    Browser browser = new Browser(base);
    HttpResponse<String> login = postForm(browser, "/login", "username=bob&password=nope", null);

    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.body()).contains("Wrong user name or password");
    assertThat(Browser.setCookies(login)).isEmpty();
    assertThat(browser.get("/").body()).contains("<form method=\"post\" action=\"/login\">");
    assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void anExpiredAccessTokenIsRenewedFromTheRefreshToken() throws Exception {
    Browser bob = loggedIn("bob");
    clock.advance(Duration.ofSeconds(30)); // access max-age is 10 s in this test

    HttpResponse<String> me = bob.get("/api/me");

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me)).containsEntry("reauthenticated", true);
    assertThat(Browser.setCookieNames(me)).contains("jwt_session_access", "jwt_session_refresh");
  }

  @Test
  void logoutClearsTheCookiesAndTheSessionIsGone() throws Exception {
    Browser alice = loggedIn("alice");

    HttpResponse<String> logout = postForm(alice, "/logout", "", base);

    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(alice.cookies()).isEmpty();
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void logoutAllEndsTheUsersOtherLogins() throws Exception {
    Browser laptop = loggedIn("alice");
    Browser phone = loggedIn("alice");

    assertThat(postForm(laptop, "/logout-all", "", base).statusCode()).isEqualTo(303);

    assertThat(phone.get("/api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void aCrossSiteFormPostToLogoutIsRefusedWith403AndTouchesNoCookie() throws Exception {
    Browser alice = loggedIn("alice");

    HttpResponse<String> forged = postForm(alice, "/logout", "", "https://evil.example");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(Browser.setCookies(forged)).isEmpty();
    assertThat(alice.get("/api/me").statusCode()).isEqualTo(200);
  }

  @Test
  void healthAnswersOk() throws Exception {
    HttpResponse<String> health = new Browser(base).get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");
  }
}
