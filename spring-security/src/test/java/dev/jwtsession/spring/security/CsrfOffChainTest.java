package dev.jwtsession.spring.security;

import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS;
import static dev.jwtsession.spring.security.BridgeTestApp.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Setup B (Spring's CSRF off, jwt-session's origin check alone), with {@code .with(..)} as the last
 * call of the chain and a {@code sessionManagement(..)} call of the user's before it.
 */
@SpringBootTest(
    classes = BridgeTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "test.csrf=off",
      "test.with=last",
      "test.user-session-management=true"
    })
class CsrfOffChainTest extends BridgeScenarios {

  @Override
  boolean springCsrf() {
    return false;
  }

  @Test
  void aSameOriginFormPostWithoutAnyTokenPasses() throws Exception {
    BridgeBrowser alice = browser();

    HttpResponse<String> login = login(alice, "alice");

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(alice.cookies()).containsKeys(ACCESS, REFRESH);
  }

  @Test
  void aCrossSiteFormPostIsRefusedByJwtSession() throws Exception {
    BridgeBrowser alice = browser();
    login(alice, "alice");
    int attempts = BridgeTestApp.LOGIN_ATTEMPTS.get();

    HttpResponse<String> logout =
        alice.send(
            alice
                .request("/logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(""))
                .build());
    HttpResponse<String> login =
        alice.send(
            alice
                .request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("username=bob&password=bob-password"))
                .build());

    assertThat(logout.statusCode()).isEqualTo(403);
    assertThat(logout.body()).startsWith("Cross-site");
    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(BridgeTestApp.LOGIN_ATTEMPTS).hasValue(attempts);
    assertThat(alice.get("/me").body()).startsWith("sub=alice;");
  }
}
