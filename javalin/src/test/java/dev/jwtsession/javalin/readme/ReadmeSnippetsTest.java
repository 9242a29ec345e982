package dev.jwtsession.javalin.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.spi.CookieSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's section for this adapter is {@link ReadmeApp}: every tagged region ({@code //
 * tag::name[]} to {@code // end::name[]}) appears in README.md verbatim (indentation removed), and
 * the code runs.
 */
class ReadmeSnippetsTest {

  private static final Pattern REGION =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

  @Test
  void everyTaggedRegionAppearsVerbatimInTheReadme() throws Exception {
    String source =
        Files.readString(Path.of("src/test/java/dev/jwtsession/javalin/readme/ReadmeApp.java"));
    String readme = Files.readString(Path.of("../README.md"));
    Matcher regions = REGION.matcher(source);
    List<String> names = new ArrayList<>();
    while (regions.find()) {
      names.add(regions.group(1));
      assertThat(readme)
          .as("README.md must contain the region '%s' verbatim", regions.group(1))
          .contains(dedent(regions.group(2)));
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(2);
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
    List<String> setCookies = new ArrayList<>();
    sessions
        .resolve(null, new ListSink(setCookies))
        .login(Payloads.of(Map.of("sub", "jane"), Map.of("sub", "jane")));
    String cookies =
        String.join("; ", setCookies.stream().map(c -> c.substring(0, c.indexOf(';'))).toList());
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

  /** Collects the {@code Set-Cookie} values of a login outside any server. */
  private record ListSink(List<String> headers) implements CookieSink {
    @Override
    public void preventCaching() {}

    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public void add(String setCookieHeader) {
      headers.add(setCookieHeader);
    }

    @Override
    public void replace(String cookieName, String setCookieHeader) {
      headers.removeIf(h -> h.startsWith(cookieName + "="));
      headers.add(setCookieHeader);
    }
  }
}
