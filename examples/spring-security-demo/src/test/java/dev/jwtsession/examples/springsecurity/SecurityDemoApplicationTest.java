package dev.jwtsession.examples.springsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.testkit.Browser;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo on a random loopback port: roles, method security, logout, CSRF. */
class SecurityDemoApplicationTest {

  private static final Pattern CSRF_INPUT =
      Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
  private static ConfigurableApplicationContext app;
  private static String origin;

  @BeforeAll
  static void start() {
    app =
        SecurityDemoApplication.application(Map.of())
            .run("--server.port=0", "--server.address=127.0.0.1");
    origin = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static String csrf(Browser browser) throws Exception {
    HttpResponse<String> page =
        browser.send(browser.request("/login").header("Accept", "text/html").GET().build());
    Matcher csrf = CSRF_INPUT.matcher(page.body());
    assertThat(csrf.find()).isTrue();
    return URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
  }

  static HttpResponse<String> form(Browser browser, String path, String body) throws Exception {
    return browser.send(
        browser
            .request(path)
            .header("Accept", "text/html")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static Browser login(String user) throws Exception {
    Browser browser = new Browser(origin);
    HttpResponse<String> login =
        form(
            browser,
            "/login",
            "username=" + user + "&password=" + user + "-password&_csrf=" + csrf(browser));
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(Browser.setCookies(login)).noneMatch(c -> c.startsWith("JSESSIONID="));
    return browser;
  }

  @Test
  void aliceReadsTheAdminPageAndTheMethodSecuredReport() throws Exception {
    Browser alice = login("alice");

    assertThat(alice.get("/admin").body()).isEqualTo("admin page for alice");
    assertThat(alice.get("/api/admin/report").body()).isEqualTo("admin report");
  }

  @Test
  void bobIsForbiddenBothAndStaysLoggedIn() throws Exception {
    Browser bob = login("bob");

    assertThat(bob.get("/admin").statusCode()).isEqualTo(403);
    assertThat(bob.get("/api/admin/report").statusCode()).isEqualTo(403);
    assertThat(bob.get("/").body()).isEqualTo("hello bob");
  }

  @Test
  void logoutNeedsTheCsrfTokenAndThenClearsTheSession() throws Exception {
    Browser alice = login("alice");

    assertThat(form(alice, "/logout", "").statusCode()).isEqualTo(403);
    assertThat(alice.get("/").body()).isEqualTo("hello alice");
    assertThat(form(alice, "/logout", "_csrf=" + csrf(alice)).statusCode()).isEqualTo(302);
    assertThat(alice.get("/").body()).startsWith("anonymous");
  }

  @Test
  void aCrossSiteLoginIsRefusedByJwtSession() throws Exception {
    Browser victim = new Browser(origin);
    HttpResponse<String> login =
        victim.send(
            victim
                .request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-password"))
                .build());

    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.body()).startsWith("Cross-site");
  }
}
