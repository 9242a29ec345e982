package dev.jwtsession.spring.boot.security.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.testkit.Browser;
import dev.jwtsession.testkit.ReadmeRegions;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's "Spring Security" snippets are the tagged regions of {@link ReadmeSecurityApp},
 * verbatim, and that app works: alice logs in through Spring's form (with {@code _csrf}) and
 * reaches the admin page, bob is forbidden.
 */
@SpringBootTest(
    classes = ReadmeSecurityApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "jwt-session.access.secret=test-access-secret-that-is-32-bytes-long!",
      "jwt-session.refresh.secret=test-refresh-secret-that-is-32-bytes-long"
    })
class ReadmeSecurityTest {

  private static final Pattern CSRF_INPUT =
      Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

  @LocalServerPort int port;

  @Test
  void everyTaggedRegionAppearsVerbatimInTheReadme() throws IOException {
    List<String> names =
        ReadmeRegions.assertInReadme(
            Path.of(
                "src/test/java/dev/jwtsession/spring/boot/security/readme/ReadmeSecurityApp.java"),
            Path.of("../README.md"),
            4);
    assertThat(names).containsExactly("imports", "chain", "users", "setupB");
  }

  @Test
  void theReadmeChainLogsInThroughSpringsFormAndChecksTheRole() throws Exception {
    assertThat(login("alice").get("/admin/page").statusCode()).isEqualTo(200);
    assertThat(login("bob").get("/admin/page").statusCode()).isEqualTo(403);
  }

  Browser login(String user) throws Exception {
    Browser browser = new Browser("http://127.0.0.1:" + port);
    HttpResponse<String> page =
        browser.send(browser.request("/login").header("Accept", "text/html").GET().build());
    Matcher csrf = CSRF_INPUT.matcher(page.body());
    assertThat(csrf.find()).as("the login page carries a _csrf field").isTrue();
    HttpResponse<String> login =
        browser.send(
            browser
                .request("/login")
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username="
                            + user
                            + "&password="
                            + user
                            + "-password&_csrf="
                            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                .build());
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(browser.cookies()).containsKeys("jwt_session_access", "jwt_session_refresh");
    return browser;
  }
}
