package dev.jwtsession.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every tagged region of {@link QuickstartApp} ({@code // tag::name[]} to {@code // end::name[]})
 * appears verbatim (indentation removed) in the repository's README.md, so the README's Java is the
 * code the tests compile and run.
 */
class ReadmeSnippetsTest {

  private static final Pattern REGION =
      Pattern.compile("// tag::(\\w+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

  @Test
  void everyQuickstartRegionAppearsVerbatimInTheReadme() throws IOException {
    String source =
        Files.readString(
            Path.of("src/test/java/dev/jwtsession/servlet/quickstart/QuickstartApp.java"));
    String readme = Files.readString(Path.of("../README.md"));
    Matcher regions = REGION.matcher(source);
    List<String> names = new ArrayList<>();
    while (regions.find()) {
      names.add(regions.group(1));
      assertThat(readme)
          .as("README.md must contain the quickstart region '%s' verbatim", regions.group(1))
          .contains(dedent(regions.group(2)));
    }
    assertThat(names).contains("imports", "main", "start", "login", "access", "logout");
  }

  static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
