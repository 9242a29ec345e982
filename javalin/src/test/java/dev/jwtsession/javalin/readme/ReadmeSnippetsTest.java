package dev.jwtsession.javalin.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.ReadmeRegions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's section for this adapter is {@link ReadmeApp}: every tagged region ({@code //
 * tag::name[]} to {@code // end::name[]}) appears in README.md verbatim (indentation removed), and
 * the code runs.
 */
class ReadmeSnippetsTest {

  @Test
  void everyTaggedRegionAppearsVerbatimInTheReadme() throws Exception {
    ReadmeRegions.assertInReadme(
        Path.of("src/test/java/dev/jwtsession/javalin/readme/ReadmeApp.java"),
        Path.of("../README.md"),
        2);
  }

  @Test
  void theReadmeSetupServesTheSessionOfTheCookies() throws Exception {
    JwtSession sessions =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofMinutes(1))
                        .secure(false)
                        .secret("readme-test-access-secret-32-bytes-long!"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secure(false)
                        .secret("readme-test-refresh-secret-32-bytes-long"))
            .build();
    String cookies = ReadmeRegions.loginCookieHeader(sessions, "jane");
    var app = ReadmeApp.start(sessions, "127.0.0.1", 0);
    try {
      URI base = URI.create("http://127.0.0.1:" + app.port() + "/");
      HttpClient client = HttpClient.newHttpClient();

      assertThat(
              client
                  .send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("Hello stranger");
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(base).header("Cookie", cookies).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo("Hello jane");
    } finally {
      app.stop();
    }
  }
}
