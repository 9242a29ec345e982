package dev.jwtsession.spring.security;

import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS;
import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS_LIFETIME;
import static dev.jwtsession.spring.security.BridgeTestApp.CLOCK;
import static dev.jwtsession.spring.security.BridgeTestApp.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.LogCapture;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The role, login, renewal, logout and bad-cookie scenarios, run by each chain shape (setup A or B,
 * {@code .with(..)} first or last). Across each whole class: no {@code JSESSIONID}, no HTTP session
 * created, and no log line of {@code dev.jwtsession} holding a token.
 */
abstract class BridgeScenarios {

  private static final Pattern TOKEN = Pattern.compile("eyJ[\\w-]{8,}\\.[\\w-]{8,}\\.[\\w-]{8,}");
  private static LogCapture log;

  @LocalServerPort int port;
  @Autowired InMemoryUserDetailsManager users;

  /** Whether the chain keeps Spring's CSRF (setup A) and so forms need {@code _csrf}. */
  abstract boolean springCsrf();

  @BeforeAll
  static void watch() {
    BridgeBrowser.SEEN_SET_COOKIES.clear();
    BridgeTestApp.HTTP_SESSIONS.set(0);
    log = LogCapture.of("dev.jwtsession");
  }

  @AfterAll
  static void noHttpSessionNoJsessionidNoTokenInLogs() {
    log.close();
    assertThat(BridgeBrowser.SEEN_SET_COOKIES).noneMatch(c -> c.startsWith("JSESSIONID="));
    assertThat(BridgeTestApp.HTTP_SESSIONS).hasValue(0);
    assertThat(log.lines())
        .as("the class's rejected cookies and refused renewals were logged")
        .isNotEmpty();
    assertThat(log.lines())
        .as("no log line of dev.jwtsession holds a token")
        .noneMatch(l -> TOKEN.matcher(l).find());
  }

  @BeforeEach
  void resetUsers() {
    BridgeTestApp.REAUTH_THROWS.set(false);
    for (var user : List.of(user("alice", "admin"), user("bob", "user"))) {
      if (users.userExists(user.getUsername())) {
        users.updateUser(user);
      } else {
        users.createUser(user);
      }
    }
  }

  static org.springframework.security.core.userdetails.UserDetails user(String name, String role) {
    return User.withUsername(name).password("{noop}" + name + "-password").roles(role).build();
  }

  BridgeBrowser browser() {
    return new BridgeBrowser("http://127.0.0.1:" + port);
  }

  /** A same-origin form POST, with {@code _csrf} in setup A. */
  HttpResponse<String> form(BridgeBrowser browser, String path, String body)
      throws IOException, InterruptedException {
    String fields = body;
    if (springCsrf()) {
      String token = browser.get("/csrf").body();
      fields += (fields.isEmpty() ? "" : "&") + "_csrf=" + enc(token);
    }
    return browser.send(
        browser
            .request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "http://127.0.0.1:" + port)
            .POST(HttpRequest.BodyPublishers.ofString(fields))
            .build());
  }

  HttpResponse<String> login(BridgeBrowser browser, String user) throws Exception {
    return form(browser, "/login", "username=" + user + "&password=" + user + "-password");
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static List<String> sessionSetCookies(HttpResponse<?> response) {
    return BridgeBrowser.setCookies(response).stream()
        .filter(c -> c.startsWith(ACCESS + "=") || c.startsWith(REFRESH + "="))
        .toList();
  }

  static boolean clears(HttpResponse<?> response, String name) {
    return BridgeBrowser.setCookies(response).stream()
        .anyMatch(c -> c.startsWith(name + "=") && c.contains("Max-Age=0"));
  }

  // ---- 1. roles

  @Test
  void anAdminReachesTheAdminPageAndTheMethodSecuredReport() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");

    assertThat(alice.get("/admin").statusCode()).isEqualTo(200);
    HttpResponse<String> report = alice.get("/api/admin/report");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body()).isEqualTo("report");
  }

  @Test
  void aUserIsForbiddenTheAdminRoutesAndStaysLoggedIn() throws Exception {
    BridgeBrowser bob = browser();
    login(bob, "bob");

    HttpResponse<String> page = bob.get("/admin");
    HttpResponse<String> report = bob.get("/api/admin/report");

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(report.statusCode()).isEqualTo(403);
    assertThat(sessionSetCookies(page)).isEmpty();
    assertThat(sessionSetCookies(report)).isEmpty();
    HttpResponse<String> me = bob.get("/me");
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).startsWith("sub=bob;authorities=ROLE_user;");
  }

  @Test
  void anAnonymousRequestGoesToTheLoginPageWithoutTouchingCookies() throws Exception {
    BridgeBrowser anonymous = browser();

    HttpResponse<String> page = anonymous.get("/admin");

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> l.endsWith("/login"));
    assertThat(sessionSetCookies(page)).isEmpty();
    assertThat(anonymous.get("/public").body()).isEqualTo("anonymous");
  }

  // ---- 2. form login

  @Test
  void formLoginSetsBothCookiesAndRedirectsWithoutAnHttpSession() throws Exception {
    BridgeBrowser alice = browser();

    HttpResponse<String> login = login(alice, "alice");

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(sessionSetCookies(login))
        .anyMatch(c -> c.startsWith(ACCESS + "="))
        .anyMatch(c -> c.startsWith(REFRESH + "="));
    assertThat(BridgeBrowser.setCookies(login)).noneMatch(c -> c.startsWith("JSESSIONID="));
    assertThat(alice.cookies()).containsKeys(ACCESS, REFRESH).doesNotContainKey("JSESSIONID");
    assertThat(alice.get("/me").body())
        .isEqualTo("sub=alice;authorities=ROLE_admin;reauthenticated=false");
    assertThat(BridgeTestApp.HTTP_SESSIONS).hasValue(0);
  }

  @Test
  void aWrongPasswordLogsNobodyIn() throws Exception {
    BridgeBrowser mallory = browser();

    HttpResponse<String> login = form(mallory, "/login", "username=alice&password=guess");

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> l.contains("error"));
    assertThat(sessionSetCookies(login)).isEmpty();
    assertThat(mallory.get("/public").body()).isEqualTo("anonymous");
  }

  // ---- 3. renewal

  @Test
  void anExpiredAccessTokenIsRenewedInTheSameRequestAndSpringSeesTheUser() throws Exception {
    BridgeBrowser bob = browser();
    login(bob, "bob");
    CLOCK.advance(ACCESS_LIFETIME.plusSeconds(30));

    HttpResponse<String> me = bob.get("/me");

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo("sub=bob;authorities=ROLE_user;reauthenticated=true");
  }

  @Test
  void aRoleChangedInTheUserStoreArrivesWithTheNextRenewal() throws Exception {
    BridgeBrowser bob = browser();
    login(bob, "bob");
    assertThat(bob.get("/admin").statusCode()).isEqualTo(403);

    users.updateUser(user("bob", "admin"));
    CLOCK.advance(ACCESS_LIFETIME.plusSeconds(30));

    assertThat(bob.get("/admin").statusCode()).isEqualTo(200);
    assertThat(bob.get("/me").body()).startsWith("sub=bob;authorities=ROLE_admin;");
  }

  @Test
  void aRemovedUserIsRefusedAtTheNextRenewalAndBothCookiesAreCleared() throws Exception {
    BridgeBrowser bob = browser();
    login(bob, "bob");
    users.deleteUser("bob");
    CLOCK.advance(ACCESS_LIFETIME.plusSeconds(30));

    HttpResponse<String> open = bob.get("/public");

    assertThat(open.body()).isEqualTo("anonymous");
    assertThat(clears(open, ACCESS)).isTrue();
    assertThat(clears(open, REFRESH)).isTrue();
    assertThat(bob.cookies()).doesNotContainKeys(ACCESS, REFRESH);
  }

  @Test
  void aDisabledUserIsRefusedAtTheNextRenewal() throws Exception {
    BridgeBrowser bob = browser();
    login(bob, "bob");
    users.updateUser(
        User.withUsername("bob")
            .password("{noop}bob-password")
            .roles("user")
            .disabled(true)
            .build());
    CLOCK.advance(ACCESS_LIFETIME.plusSeconds(30));

    HttpResponse<String> me = bob.get("/me");

    assertThat(me.statusCode()).isEqualTo(302);
    assertThat(clears(me, REFRESH)).isTrue();
  }

  // ---- 4. logout

  @Test
  void springLogoutClearsBothCookiesWithTheirPath() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");

    HttpResponse<String> logout = form(alice, "/logout", "");

    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(sessionSetCookies(logout))
        .anyMatch(
            c -> c.startsWith(ACCESS + "=;") && c.contains("Max-Age=0") && c.contains("; Path=/"))
        .anyMatch(
            c -> c.startsWith(REFRESH + "=;") && c.contains("Max-Age=0") && c.contains("; Path=/"));
    assertThat(alice.cookies()).doesNotContainKeys(ACCESS, REFRESH);
    assertThat(alice.get("/public").body()).isEqualTo("anonymous");
  }

  // ---- 6. bad cookies

  @Test
  void aTamperedAccessCookieIsAnonymousAndClearedAndGoesToTheEntryPoint() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");
    alice.cookies().remove(REFRESH);
    String token = alice.cookies().get(ACCESS);
    alice.cookies().put(ACCESS, token.substring(0, token.length() - 3) + "AAA");

    HttpResponse<String> me = alice.get("/me");

    assertThat(me.statusCode()).isEqualTo(302);
    assertThat(clears(me, ACCESS)).isTrue();
  }

  @Test
  void anExpiredAccessCookieWithoutRefreshIsAnonymousAndCleared() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");
    alice.cookies().remove(REFRESH);
    CLOCK.advance(ACCESS_LIFETIME.plus(Duration.ofMinutes(5)));

    HttpResponse<String> admin = alice.get("/admin");

    assertThat(admin.statusCode()).isEqualTo(302);
    assertThat(clears(admin, ACCESS)).isTrue();
  }

  @Test
  void aReauthThatThrowsLeavesTheRequestAnonymousWithout5xx() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");
    BridgeTestApp.REAUTH_THROWS.set(true);
    CLOCK.advance(ACCESS_LIFETIME.plusSeconds(30));

    HttpResponse<String> admin = alice.get("/admin");

    assertThat(admin.statusCode()).isEqualTo(302);
    assertThat(alice.get("/public").body()).isEqualTo("anonymous");
  }
}
