package dev.jwtsession.javalin.readme;

import dev.jwtsession.testkit.ReadmeRegions;
import dev.jwtsession.testkit.ServerUnderTest;
import java.net.URI;
import java.nio.file.Path;
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
    ReadmeRegions.assertGreetsTheSubjectOfTheCookies(
        sessions -> {
          var app = ReadmeApp.start(sessions, "127.0.0.1", 0);
          return ServerUnderTest.of(URI.create("http://127.0.0.1:" + app.port()), app::stop);
        });
  }
}
