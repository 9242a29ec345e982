package dev.jwtsession.spring.security;

import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS;
import static dev.jwtsession.spring.security.BridgeTestApp.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Setup A (Spring's cookie CSRF repository and jwt-session's origin check), with {@code
 * .with(JwtSessionConfigurer.jwtSession(), ..)} as the first call of the chain; plus the CSRF and
 * HTTP Basic tests.
 */
@SpringBootTest(
    classes = BridgeTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "test.csrf=cookie", "test.with=first"})
class CookieCsrfChainTest extends BridgeScenarios {

  @Override
  boolean springCsrf() {
    return true;
  }

  @Test
  void aLogoutPostWithoutTheCsrfTokenIsRefusedBySpringAndTheSessionStays() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");

    HttpResponse<String> logout =
        alice.send(
            alice
                .request("/logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(""))
                .build());

    assertThat(logout.statusCode()).isEqualTo(403);
    assertThat(sessionSetCookies(logout)).isEmpty();
    assertThat(alice.get("/me").body()).startsWith("sub=alice;");
  }

  @Test
  void aCrossSiteLoginPostIsRefusedByJwtSessionBeforeTheLoginFilterRuns() throws Exception {
    BridgeBrowser victim = browser();
    String csrf = victim.get("/csrf").body();
    int attempts = BridgeTestApp.LOGIN_ATTEMPTS.get();

    HttpResponse<String> login =
        victim.send(
            victim
                .request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=alice&password=alice-password&_csrf=" + enc(csrf)))
                .build());

    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.body()).startsWith("Cross-site");
    assertThat(BridgeTestApp.LOGIN_ATTEMPTS).hasValue(attempts);
    assertThat(victim.cookies()).doesNotContainKeys(ACCESS, REFRESH);
  }

  @Test
  void httpBasicAuthenticatesTheRequestWithoutWritingASessionCookie() throws Exception {
    BridgeBrowser api = browser();
    String basic =
        Base64.getEncoder().encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> me =
        api.send(
            api.request("/api/basic/me").header("Authorization", "Basic " + basic).GET().build());

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo("basic=alice");
    assertThat(BridgeBrowser.setCookies(me))
        .noneMatch(c -> c.startsWith(ACCESS + "=") || c.startsWith(REFRESH + "="))
        .noneMatch(c -> c.startsWith("JSESSIONID="));
    assertThat(api.get("/public").body()).isEqualTo("anonymous");
  }
}
