package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The origin check of {@link CsrfCheck}, SvelteKit's {@code csrf.checkOrigin}, at unit level: the
 * adapters answer 403 with the returned text (tested with the servlet filter).
 */
class CsrfCheckTest {

  static final String SELF = "https://app.example";
  static final String FORM = "application/x-www-form-urlencoded";

  static CsrfCheck check(Consumer<CsrfCheck.Builder> settings) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("a")
                    .maxAge(Duration.ofMinutes(1))
                    .secret("test-access-secret-that-is-32-bytes-long!"))
        .refresh(
            t ->
                t.cookieName("r")
                    .maxAge(Duration.ofDays(1))
                    .secret("test-refresh-secret-that-is-32-bytes-long"))
        .csrf(settings)
        .build()
        .csrf();
  }

  final CsrfCheck defaults = check(c -> {});

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
  void crossOriginFormSubmissionIsRefused(String method) {
    assertThat(defaults.check(method, FORM, "https://evil.example", null, SELF))
        .contains("Cross-site " + method + " form submissions are forbidden");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/plain",
        "TEXT/PLAIN;charset=UTF-8",
        " Multipart/Form-Data "
      })
  void everyFormContentTypeIsChecked(String contentType) {
    assertThat(defaults.check("POST", contentType, "https://evil.example", null, SELF)).isPresent();
  }

  @Test
  void sameOriginPasses() {
    assertThat(defaults.check("POST", FORM, SELF, "same-origin", SELF)).isEmpty();
    assertThat(defaults.check("POST", FORM, "HTTPS://APP.EXAMPLE", null, SELF)).isEmpty();
  }

  @Test
  void originThatOnlyResemblesOursIsRefused() {
    for (String origin :
        new String[] {
          "https://app.example.evil.example",
          "http://app.example",
          "https://app.example:8443",
          "https://evil-app.example",
          SELF + "/"
        }) {
      assertThat(defaults.check("POST", FORM, origin, null, SELF)).as(origin).isPresent();
    }
  }

  @Test
  void jsonPostPasses() {
    // A cross-site page cannot send application/json without a CORS preflight.
    assertThat(defaults.check("POST", "application/json", "https://evil.example", null, SELF))
        .isEmpty();
  }

  @Test
  void trustedOriginPasses() {
    CsrfCheck check = check(c -> c.trustedOrigins("https://partner.example"));

    assertThat(check.check("POST", FORM, "https://partner.example", "cross-site", SELF)).isEmpty();
    assertThat(check.check("POST", FORM, "https://evil.example", null, SELF)).isPresent();
  }

  @Test
  void trustedOriginThatIsNotAnOriginFailsTheBuild() {
    assertThatThrownBy(() -> check(c -> c.trustedOrigins("https://partner.example/path", "*")))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining(
            "csrf.trustedOrigins: 'https://partner.example/path' is not an origin")
        .hasMessageContaining("csrf.trustedOrigins: '*' is not an origin");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
  void safeMethodsPass(String method) {
    assertThat(defaults.check(method, FORM, "https://evil.example", "cross-site", SELF)).isEmpty();
  }

  @Test
  void missingOriginPassesUnlessFetchMetadataSaysCrossSite() {
    assertThat(defaults.check("POST", FORM, null, null, SELF)).isEmpty();
    assertThat(defaults.check("POST", FORM, null, "same-origin", SELF)).isEmpty();
    assertThat(defaults.check("POST", FORM, null, "none", SELF)).isEmpty();
    assertThat(defaults.check("POST", FORM, null, "cross-site", SELF))
        .contains("Cross-site form submissions are forbidden");
  }

  @Test
  void nullOriginIsRefused() {
    assertThat(defaults.check("POST", FORM, "null", null, SELF)).isPresent();
  }

  @Test
  void disabledPassesEverything() {
    CsrfCheck off = check(c -> c.enabled(false));

    assertThat(off.enabled()).isFalse();
    assertThat(off.check("POST", FORM, "https://evil.example", "cross-site", SELF)).isEmpty();
    assertThat(off.check("POST", FORM, "null", null, SELF)).isEmpty();
  }

  @Test
  void enabledByDefault() {
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults.trustedOrigins()).isEmpty();
  }

  @Test
  void refusalTextNamesNoRequestData() {
    assertThat(
            defaults.check("POST", FORM, "https://evil.example/<script>", null, SELF).orElseThrow())
        .doesNotContain("evil")
        .doesNotContain("<script>");
  }
}
