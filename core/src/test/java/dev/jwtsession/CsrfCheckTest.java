package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cross-origin rule of {@link CsrfCheck} (Go 1.25's {@code CrossOriginProtection}: Fetch
 * Metadata first, then {@code Origin}) at unit level: the adapters answer 403 with the returned
 * text (tested with the servlet filter and the demo).
 */
class CsrfCheckTest {

  static final String SELF = "https://app.example";
  static final String EVIL = "https://evil.example";

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
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "PROPFIND", "post"})
  void crossOriginRequestWithAnyUnsafeMethodIsRefused(String method) {
    assertThat(defaults.refusal(method, "/logout", EVIL, null, SELF))
        .contains("Cross-site " + method + " requests are forbidden");
    assertThat(defaults.refusal(method, "/logout", null, "cross-site", SELF)).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE"})
  void safeMethodsAreNeverChecked(String method) {
    assertThat(defaults.appliesTo(method)).isFalse();
    assertThat(defaults.refusal(method, "/", EVIL, "cross-site", SELF)).isEmpty();
  }

  @Test
  void contentTypeDecidesNothingSoABodyWithoutContentTypeIsChecked() {
    // fetch(url, {mode: 'no-cors', credentials: 'include', body: new Blob([...])}) sends no
    // Content-Type; JSON and every other type are checked alike. The deprecated entry point that
    // still takes a content type ignores it.
    assertThat(defaults.refusal("POST", "/logout", EVIL, "cross-site", SELF)).isPresent();
    @SuppressWarnings("deprecation")
    Optional<String> noType = defaults.check("POST", null, EVIL, null, SELF);
    @SuppressWarnings("deprecation")
    Optional<String> json = defaults.check("POST", "application/json", EVIL, null, SELF);
    assertThat(noType).isPresent();
    assertThat(json).isPresent();
  }

  @Test
  void fetchMetadataDecidesFirstOnlySameOriginOrNonePass() {
    assertThat(defaults.refusal("POST", "/", null, "same-origin", SELF)).isEmpty();
    assertThat(defaults.refusal("POST", "/", null, "none", SELF)).isEmpty();
    // Sec-Fetch-Site wins over an Origin either way.
    assertThat(defaults.refusal("POST", "/", EVIL, "same-origin", SELF)).isEmpty();
    assertThat(defaults.refusal("POST", "/", SELF, "cross-site", SELF)).isPresent();
    assertThat(defaults.refusal("POST", "/", SELF, "same-site", SELF)).isPresent();
    assertThat(defaults.refusal("POST", "/", null, "same-site", SELF)).isPresent();
    assertThat(defaults.refusal("POST", "/", null, "Same-Origin", SELF)).isPresent();
    assertThat(defaults.refusal("POST", "/", null, "bogus", SELF)).isPresent();
  }

  @Test
  void withoutFetchMetadataOriginMustBeTheRequestsOwn() {
    assertThat(defaults.refusal("POST", "/", SELF, null, SELF)).isEmpty();
    assertThat(defaults.refusal("POST", "/", "HTTPS://APP.EXAMPLE", null, SELF)).isEmpty();
    assertThat(defaults.refusal("POST", "/", SELF, "", SELF)).isEmpty();
    assertThat(defaults.refusal("POST", "/", EVIL, "", SELF)).isPresent();
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
      assertThat(defaults.refusal("POST", "/", origin, null, SELF)).as(origin).isPresent();
    }
  }

  @Test
  void nullOriginNeverPasses() {
    assertThat(defaults.refusal("POST", "/", "null", null, SELF)).isPresent();
    CsrfCheck trusting = check(c -> c.trustedOrigins("https://partner.example"));
    assertThat(trusting.refusal("DELETE", "/", "null", null, SELF)).isPresent();
  }

  @Test
  void requestWithNeitherHeaderPassesBecauseItIsNoBrowser() {
    assertThat(defaults.refusal("POST", "/logout", null, null, SELF)).isEmpty();
    assertThat(defaults.refusal("DELETE", "/logout", null, "", SELF)).isEmpty();
  }

  @Test
  void trustedOriginPasses() {
    CsrfCheck check = check(c -> c.trustedOrigins("https://partner.example"));

    assertThat(check.refusal("POST", "/", "https://partner.example", "cross-site", SELF)).isEmpty();
    assertThat(check.refusal("POST", "/", "https://partner.example", null, SELF)).isEmpty();
    assertThat(check.refusal("POST", "/", EVIL, null, SELF)).isPresent();
    assertThat(check.refusal("POST", "/", EVIL, "cross-site", SELF)).isPresent();
  }

  @Test
  void trustedOriginThatIsNotAnOriginFailsTheBuild() {
    assertThatThrownBy(() -> check(c -> c.trustedOrigins("https://partner.example/path", "*")))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining(
            "csrf.trustedOrigins: 'https://partner.example/path' is not an origin")
        .hasMessageContaining("csrf.trustedOrigins: '*' is not an origin");
  }

  @Test
  void exemptPathPassesCrossOriginAndNothingElseDoes() {
    CsrfCheck check = check(c -> c.exemptPaths("/webhooks/stripe", "/hooks/*"));

    assertThat(check.exemptPaths()).containsExactly("/webhooks/stripe", "/hooks/*");
    assertThat(check.refusal("POST", "/webhooks/stripe", EVIL, "cross-site", SELF)).isEmpty();
    assertThat(check.refusal("POST", "/webhooks/stripe", EVIL, null, SELF)).isEmpty();
    assertThat(check.refusal("POST", "/hooks/github/push", EVIL, "cross-site", SELF)).isEmpty();
    for (String path :
        new String[] {
          "/webhooks/stripe/x",
          "/webhooks/stripex",
          "/hooks",
          "/hooksx/a",
          "/logout",
          "/hooks/../logout",
          "/hooks/a/..",
          "/hooks//x",
          "/hooks/a;x",
          "/hooks/%2e%2e/logout"
        }) {
      assertThat(check.refusal("POST", path, EVIL, "cross-site", SELF)).as(path).isPresent();
    }
    assertThat(check.refusal("POST", null, EVIL, "cross-site", SELF)).isPresent();
  }

  @Test
  void exemptPathThatIsNoPathOrExemptsEverythingFailsTheBuild() {
    assertThatThrownBy(() -> check(c -> c.exemptPaths("webhook", "/*", "/a/*/b", "/x/../y")))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("csrf.exemptPaths: 'webhook' is not an exempt path")
        .hasMessageContaining("csrf.exemptPaths: '/*' is not an exempt path")
        .hasMessageContaining("csrf.exemptPaths: '/a/*/b' is not an exempt path")
        .hasMessageContaining("csrf.exemptPaths: '/x/../y' is not an exempt path");
  }

  @Test
  void disabledPassesEverything() {
    CsrfCheck off = check(c -> c.enabled(false));

    assertThat(off.enabled()).isFalse();
    assertThat(off.refusal("POST", "/", EVIL, "cross-site", SELF)).isEmpty();
    assertThat(off.refusal("POST", "/", "null", null, SELF)).isEmpty();
  }

  @Test
  void enabledByDefault() {
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults.trustedOrigins()).isEmpty();
    assertThat(defaults.exemptPaths()).isEmpty();
  }

  @Test
  void refusalTextNamesNoRequestData() {
    assertThat(defaults.refusal("POST", "/<p>", "https://evil.example/<script>", null, SELF))
        .get()
        .asString()
        .doesNotContain("evil")
        .doesNotContain("<script>")
        .doesNotContain("<p>");
  }
}
