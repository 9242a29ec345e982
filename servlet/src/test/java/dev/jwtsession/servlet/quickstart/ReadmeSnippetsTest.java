package dev.jwtsession.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.testkit.ReadmeRegions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every tagged region of {@link QuickstartApp} ({@code // tag::name[]} to {@code // end::name[]})
 * appears verbatim (indentation removed) in the repository's README.md, so the README's Java is the
 * code the tests compile and run.
 */
class ReadmeSnippetsTest {

  @Test
  void everyQuickstartRegionAppearsVerbatimInTheReadme() throws IOException {
    List<String> names =
        ReadmeRegions.assertInReadme(
            Path.of("src/test/java/dev/jwtsession/servlet/quickstart/QuickstartApp.java"),
            Path.of("../README.md"),
            6);
    assertThat(names).contains("imports", "main", "start", "login", "access", "logout");
  }
}
