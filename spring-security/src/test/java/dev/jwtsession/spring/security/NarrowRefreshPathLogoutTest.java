package dev.jwtsession.spring.security;

import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS;
import static dev.jwtsession.spring.security.BridgeTestApp.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Logout through Spring Security with the refresh cookie on a narrower path ({@code /app}) and
 * rotation on: each cookie is cleared with its own Path, and the old refresh cookie is refused
 * afterwards.
 */
@SpringBootTest(
    classes = BridgeTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "test.csrf=off",
      "test.refresh-path=/app",
      "test.rotation=true"
    })
class NarrowRefreshPathLogoutTest {

  @LocalServerPort int port;

  @Test
  void logoutClearsEachCookieWithItsOwnPathAndTheOldRefreshCookieIsRefusedAfterwards()
      throws Exception {
    String origin = "http://127.0.0.1:" + port;
    BridgeBrowser alice = new BridgeBrowser(origin);
    alice.send(
        alice
            .request("/login")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-password"))
            .build());
    String oldRefresh = alice.cookies().get(REFRESH);
    assertThat(oldRefresh).isNotNull();

    // A browser sends the /app refresh cookie only under /app: /logout gets the access cookie.
    HttpResponse<String> logout =
        alice.send(
            alice
                .request("/logout")
                .setHeader("Cookie", ACCESS + "=" + alice.cookies().get(ACCESS))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(BridgeBrowser.setCookies(logout))
        .anyMatch(
            c -> c.startsWith(ACCESS + "=;") && c.contains("Max-Age=0") && c.contains("; Path=/;"))
        .anyMatch(
            c ->
                c.startsWith(REFRESH + "=;")
                    && c.contains("Max-Age=0")
                    && c.contains("; Path=/app;"));

    BridgeBrowser replay = new BridgeBrowser(origin);
    replay.cookies().put(REFRESH, oldRefresh);
    HttpResponse<String> replayed = replay.get("/app/anything");
    assertThat(replayed.statusCode()).isEqualTo(302);
    assertThat(replay.get("/public").body()).isEqualTo("anonymous");
    assertThat(replay.cookies()).doesNotContainKey(ACCESS);
  }
}
