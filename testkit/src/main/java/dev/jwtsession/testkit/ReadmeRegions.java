package dev.jwtsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.spi.CookieSink;
import java.io.IOException;
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

/**
 * Keeps README code from rotting: every tagged region ({@code // tag::name[]} to {@code //
 * end::name[]}) of a compiled source file must appear in README.md verbatim (indentation removed).
 * Each adapter's README test runs its snippet file through {@link #assertInReadme} and then runs
 * the snippet itself.
 */
public final class ReadmeRegions {

  private static final Pattern REGION =
      Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

  private ReadmeRegions() {}

  /**
   * Asserts that every tagged region of {@code source} is in {@code readme} verbatim, and that
   * there are at least {@code atLeast} of them; returns their names.
   */
  public static List<String> assertInReadme(Path source, Path readme, int atLeast)
      throws IOException {
    String code = Files.readString(source);
    String text = Files.readString(readme);
    Matcher regions = REGION.matcher(code);
    List<String> names = new ArrayList<>();
    while (regions.find()) {
      names.add(regions.group(1));
      assertThat(text)
          .as("README.md must contain the region '%s' verbatim", regions.group(1))
          .contains(dedent(regions.group(2)));
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(atLeast);
    return names;
  }

  /** {@code block} with the indentation its non-blank lines share removed. */
  public static String dedent(String block) {
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

  /**
   * The {@code Cookie} header a browser would send after {@code engine} logged {@code subject} in
   * (access and refresh payload {@code {sub: subject}}), made outside any server.
   */
  public static String loginCookieHeader(JwtSession engine, String subject) {
    List<String> setCookies = new ArrayList<>();
    CookieSink sink =
        new CookieSink() {
          @Override
          public void preventCaching() {}

          @Override
          public boolean isCommitted() {
            return false;
          }

          @Override
          public void add(String setCookieHeader) {
            setCookies.add(setCookieHeader);
          }

          @Override
          public void replace(String cookieName, String setCookieHeader) {
            setCookies.removeIf(h -> h.startsWith(cookieName + "="));
            setCookies.add(setCookieHeader);
          }
        };
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", subject), Map.of("sub", subject)));
    return String.join("; ", setCookies.stream().map(c -> c.substring(0, c.indexOf(';'))).toList());
  }

  /** Starts an application for an engine on 127.0.0.1, port 0. */
  @FunctionalInterface
  public interface AppStarter {
    ServerUnderTest start(JwtSession engine) throws Exception;
  }

  /**
   * Runs a README "hello" application: started by {@code starter} for a test engine ({@code
   * app_session}/{@code app_refresh}, not {@code Secure}), its {@code GET /} must answer {@code
   * Hello stranger} without cookies and {@code Hello jane} with jane's login cookies.
   */
  public static void assertGreetsTheSubjectOfTheCookies(AppStarter starter) throws Exception {
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
    String cookies = loginCookieHeader(sessions, "jane");
    try (ServerUnderTest app = starter.start(sessions)) {
      URI base = app.baseUri().resolve("/");
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
    }
  }
}
