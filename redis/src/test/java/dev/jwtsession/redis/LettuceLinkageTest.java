package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published classes (compiled against the Lettuce version the artifact declares) call exactly
 * the Lettuce methods and fields that the same sources compiled against Lettuce 6.6.0 call (the
 * build's {@code compile-against-lettuce-6.6.0} step writes those to {@code
 * target/lettuce-6.6.0-classes}). Compiling against 6.6.0 alone does not prove the shipped jar
 * links there: a call that compiles against both can bind to a method only the newer version has
 * (Lettuce 7 turned {@code keys(K)} into {@code keys(String)} and {@code keysLegacy(K)}), and would
 * fail with {@code NoSuchMethodError} on Spring Boot 3.5's Lettuce. Run through Maven ({@code
 * verify}), which produces both class directories.
 */
class LettuceLinkageTest {

  private static final Path SHIPPED = Path.of("target", "classes");
  private static final Path LOWEST = Path.of("target", "lettuce-6.6.0-classes");

  @Test
  void everyLettuceMemberTheShippedClassesUseIsTheOneABuildAgainstLettuce660Uses()
      throws IOException {
    Map<String, TreeSet<String>> shipped = lettuceReferences(SHIPPED);
    Map<String, TreeSet<String>> lowest = lettuceReferences(LOWEST);

    assertThat(lowest.keySet())
        .as("classes compiled against Lettuce 6.6.0 by the build")
        .containsAll(shipped.keySet());
    assertThat(shipped.values().stream().mapToInt(TreeSet::size).sum())
        .as("Lettuce members the store uses")
        .isGreaterThan(20);
    for (Map.Entry<String, TreeSet<String>> entry : shipped.entrySet()) {
      assertThat(entry.getValue())
          .as("Lettuce members %s uses, built against 7.x vs 6.6.0", entry.getKey())
          .isEqualTo(lowest.get(entry.getKey()));
    }
  }

  /** Per class file under {@code root}, the Lettuce methods and fields its constant pool names. */
  private static Map<String, TreeSet<String>> lettuceReferences(Path root) throws IOException {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    Map<String, TreeSet<String>> references = new TreeMap<>();
    List<String> arguments = new ArrayList<>(List.of("-v"));
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> arguments.add(f.toString()));
    }
    StringWriter out = new StringWriter();
    int status =
        javap.run(new PrintWriter(out), new PrintWriter(out), arguments.toArray(String[]::new));
    assertThat(status).as("javap: %s", out).isZero();
    TreeSet<String> members = new TreeSet<>();
    for (String line : out.toString().split("\n")) {
      if (line.startsWith("Classfile ")) {
        members = new TreeSet<>();
        String file = line.substring("Classfile ".length()).trim();
        references.put(
            file.substring(file.indexOf(root.toString()) + root.toString().length()), members);
      } else if (line.matches("\\s*#\\d+ = (Methodref|InterfaceMethodref|Fieldref) .*")
          && line.contains("// io/lettuce/")) {
        members.add(line.substring(line.indexOf("// ") + 3).trim());
      }
    }
    return references;
  }
}
