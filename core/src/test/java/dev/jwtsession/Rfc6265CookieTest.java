package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.internal.SetCookie;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code Cookie} request header as jwt-session reads it (RFC 6265 §5.4, leniently, with the
 * duplicate-name rule of {@code CookieHeader}) and the {@code Set-Cookie} headers it writes (§4.1),
 * cookie-name prefixes included (RFC 6265bis §4.1.3).
 */
class Rfc6265CookieTest extends EngineHarness {

  // ---- reading the Cookie header

  @Test
  void duplicateSessionCookieWithDifferentValuesIsAmbiguousAndNeverPicksOne() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    for (String header :
        new String[] {
          "app_session=" + token + "; app_session=x",
          "app_session=x; app_session=" + token,
          "app_session=" + token + "; app_session="
        }) {
      listener.clear();
      Session session = resolve(engine, header);
      assertThat(session.isAuthenticated()).as(header).isFalse();
      assertThat(listener.events()).containsExactly("rejected:ACCESS:DUPLICATE_COOKIE");
    }
  }

  @Test
  void duplicateRefreshCookieIsAmbiguousToo() {
    JwtSession engine = engine();

    Session session = resolve(engine, "app_refresh=a.b.c; app_refresh=d.e.f");

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:REFRESH:DUPLICATE_COOKIE");
    assertThat(sink.clears("app_refresh")).isTrue();
  }

  @Test
  void sameValueTwiceIsNotAmbiguous() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    Session session =
        resolve(engine, "app_session=" + token + "; other=1; app_session=\"" + token + "\"");

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void quotedValueIsUnquotedOnce() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    assertThat(resolve(engine, "app_session=\"" + token + "\"").isAuthenticated()).isTrue();
    assertThat(resolve(engine, "app_session=\"\"" + token + "\"\"").isAuthenticated()).isFalse();
    assertThat(resolve(engine, "app_session=\"" + token).isAuthenticated()).isFalse();
    assertThat(listener.events())
        .containsExactly("rejected:ACCESS:MALFORMED", "rejected:ACCESS:MALFORMED");
  }

  @Test
  void blanksAndTabsAroundNamesAndValuesAreIgnored() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    Session session = resolve(engine, " \t a=1 ;\t app_session \t= \t" + token + " \t; b=2\t");

    assertThat(session.isAuthenticated()).isTrue();
  }

  @Test
  void blanksInsideTheValueAreNotIgnored() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    Session session =
        resolve(engine, "app_session=" + token.substring(0, 20) + " " + token.substring(20));

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:MALFORMED");
  }

  @Test
  void straySeparatorsAndEmptyPairsAreSkipped() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    Session session = resolve(engine, ";;; ;=;==; app_session=" + token + ";;;");

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void pairsWithoutEqualsAreSkippedNotTakenAsNames() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    assertThat(
            resolve(engine, "app_session; app_session=" + token + "; app_refresh")
                .isAuthenticated())
        .isTrue();
    assertThat(resolve(engine, "app_session").isAuthenticated()).isFalse();
    assertThat(listener.events()).isEmpty();
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void namesMatchExactlyAndCaseSensitively() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    for (String name :
        new String[] {"APP_SESSION", "app_session_", "xapp_session", "app session"}) {
      assertThat(resolve(engine, name + "=" + token).isAuthenticated()).as(name).isFalse();
    }
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void equalsSignInsideTheValueIsPartOfTheValue() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    assertThat(resolve(engine, "app_session=" + token + "=").isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:MALFORMED");
  }

  @Test
  void cookieHeaderOverTheLimitIsIgnoredUnread() {
    JwtSession engine = engine();
    String token = loginToken(engine);
    String header =
        "pad=" + "x".repeat(JwtSession.DEFAULT_MAX_COOKIE_HEADER_LENGTH) + "; app_session=" + token;

    Session session = resolve(engine, header);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:TOO_LARGE");
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void cookieHeaderLimitIsConfigurable() {
    JwtSession engine = engine(t -> {}, b -> b.maxCookieHeaderLength(64 * 1024));
    String token = loginToken(engine);

    Session session = resolve(engine, "pad=" + "x".repeat(20_000) + "; app_session=" + token);

    assertThat(session.isAuthenticated()).isTrue();
  }

  @Test
  void largeHeaderOfPairsWithoutEqualsIsScannedWithoutError() {
    // Once quadratic (each pair searched the rest of the header for '='); now one linear scan.
    JwtSession engine = engine(t -> {}, b -> b.maxCookieHeaderLength(1 << 20));

    Session session = resolve(engine, "a;".repeat((1 << 20) / 2));

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).isEmpty();
  }

  // ---- cookie-name prefixes (RFC 6265bis §4.1.3), checked at build time

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"insecure", "path", "domain"})
  void hostPrefixNeedsSecurePathRootAndNoDomain(String violation) {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t -> {
                          t.cookieName("__Host-session")
                              .maxAge(Duration.ofSeconds(60))
                              .secret(ACCESS_SECRET);
                          switch (violation) {
                            case "insecure" -> t.secure(false);
                            case "path" -> t.path("/app");
                            default -> t.domain("example.com");
                          }
                        })
                    .refresh(
                        t ->
                            t.cookieName("app_refresh")
                                .maxAge(Duration.ofDays(7))
                                .secret(REFRESH_SECRET))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining(
            "access.cookieName: the __Host- prefix needs Secure, Path=/ and no Domain."
                + " Keep secure(true), path \"/\" and no domain, or drop the prefix.");
  }

  @Test
  void securePrefixNeedsSecure() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("app_session")
                                .maxAge(Duration.ofSeconds(60))
                                .secret(ACCESS_SECRET))
                    .refresh(
                        t ->
                            t.cookieName("__Secure-refresh")
                                .maxAge(Duration.ofDays(7))
                                .secret(REFRESH_SECRET)
                                .secure(false))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining(
            "refresh.cookieName: the __Secure- prefix needs Secure. Keep secure(true),"
                + " or drop the prefix.");
  }

  @Test
  void prefixesAreRecognisedWhateverTheirCase() {
    // Browsers match the prefixes case-insensitively (RFC 6265bis §5.7 step 22) and drop such a
    // cookie.
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("__host-session")
                                .maxAge(Duration.ofSeconds(60))
                                .secret(ACCESS_SECRET)
                                .domain("example.com"))
                    .refresh(
                        t ->
                            t.cookieName("__SECURE-refresh")
                                .maxAge(Duration.ofDays(7))
                                .secret(REFRESH_SECRET)
                                .secure(false))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("access.cookieName: the __Host- prefix")
        .hasMessageContaining("refresh.cookieName: the __Secure- prefix");
  }

  @Test
  void hostPrefixedCookieIsWrittenWithSecurePathRootAndNoDomain() {
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("__Host-session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret(ACCESS_SECRET))
            .refresh(
                t ->
                    t.cookieName("__Secure-refresh")
                        .maxAge(Duration.ofDays(7))
                        .secret(REFRESH_SECRET))
            .clock(clock)
            .build();
    RecordingCookieSink loginSink = new RecordingCookieSink();
    engine
        .resolve(null, loginSink)
        .login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));

    String header = loginSink.header("__Host-session").orElseThrow();
    assertThat(header).contains("; Path=/; Secure;").doesNotContain("Domain=");
    assertThat(loginSink.header("__Secure-refresh").orElseThrow()).contains("; Secure;");
    assertThat(
            resolve(engine, RecordingCookieSink.cookieHeader(loginSink.applyTo(Map.of())))
                .isAuthenticated())
        .isTrue();
  }

  @Test
  void sameSiteNoneAndPartitionedNeedSecure() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("app_session")
                                .maxAge(Duration.ofSeconds(60))
                                .secret(ACCESS_SECRET)
                                .secure(false)
                                .sameSite(SameSite.NONE)
                                .partitioned(true))
                    .refresh(
                        t ->
                            t.cookieName("app_refresh")
                                .maxAge(Duration.ofDays(7))
                                .secret(REFRESH_SECRET))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("access.sameSite: None needs Secure")
        .hasMessageContaining("access.partitioned: needs Secure");
  }

  // ---- writing Set-Cookie (RFC 6265 §4.1)

  @Test
  void setCookieCarriesEveryConfiguredAttributeInOrder() {
    JwtSession engine =
        engine(
            t -> t.path("/app").domain("example.com").sameSite(SameSite.STRICT).partitioned(true),
            b -> {});
    RecordingCookieSink loginSink = new RecordingCookieSink();

    engine.resolve(null, loginSink).login(Payloads.accessOnly(Map.of("sub", "j@doe")));

    String header = loginSink.header("app_session").orElseThrow();
    assertThat(header)
        .isEqualTo(
            "app_session="
                + loginSink.value("app_session").orElseThrow()
                + "; Max-Age=60; Expires=Thu, 01 Jan 2026 00:01:00 GMT; Path=/app; Domain=example.com; Secure;"
                + " HttpOnly; SameSite=Strict; Partitioned");
  }

  @Test
  void setCookieWithoutSecureAndHttpOnlyOmitsThem() {
    String header =
        SetCookie.set(
            "n",
            "v",
            new CookieOptions("/", null, Duration.ofSeconds(5), false, false, SameSite.LAX, false),
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:05Z"));

    assertThat(header)
        .isEqualTo("n=v; Max-Age=5; Expires=Thu, 01 Jan 2026 00:00:05 GMT; Path=/; SameSite=Lax");
  }

  @Test
  void expiresIsAnRfc1123DateWithATwoDigitDayInGmt() {
    CookieOptions options =
        new CookieOptions("/", null, Duration.ofDays(1), true, true, SameSite.NONE, false);

    String header =
        SetCookie.set(
            "n",
            "v",
            options,
            Instant.parse("2026-03-04T07:08:09Z"),
            Instant.parse("2026-03-05T07:08:09Z"));

    assertThat(header)
        .isEqualTo(
            "n=v; Max-Age=86400; Expires=Thu, 05 Mar 2026 07:08:09 GMT; Path=/;"
                + " Secure; HttpOnly; SameSite=None");
  }

  @Test
  void maxAgeIsNeverNegative() {
    CookieOptions options =
        new CookieOptions("/", null, Duration.ofDays(1), true, true, SameSite.LAX, false);

    assertThat(
            SetCookie.set(
                "n",
                "v",
                options,
                Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z")))
        .contains("; Max-Age=0; ");
  }

  @Test
  void clearingCookieRepeatsPathAndDomainOnLogout() {
    JwtSession engine = engine(t -> t.path("/app").domain("example.com"), b -> {});
    String token = loginToken(engine);

    resolve(engine, "app_session=" + token).logout();

    assertThat(sink.header("app_session").orElseThrow())
        .isEqualTo(
            "app_session=; Max-Age=0;"
                + " Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app; Domain=example.com; Secure; HttpOnly;"
                + " SameSite=Lax");
    assertThat(sink.clears("app_refresh")).isTrue();
  }

  @Test
  void clearingCookieOfARejectedTokenRepeatsPathAndDomain() {
    JwtSession engine = engine(t -> t.path("/app").domain("example.com"), b -> {});

    resolve(engine, "app_session=not.a.token");

    assertThat(sink.header("app_session").orElseThrow())
        .startsWith("app_session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT;")
        .contains("; Path=/app; Domain=example.com;");
  }

  @Test
  void tokenValueNeedsNoQuotingOrEncoding() {
    JwtSession engine = engine();
    String token = loginToken(engine);

    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }
}
