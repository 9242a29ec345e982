package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jazzer fuzz target over {@code Cookie header → resolved session}. The only allowed outcomes are
 * an anonymous session, or an authenticated one when the header carries a genuine token; nothing
 * may be thrown.
 *
 * <p>The input is read as UTF-8; the placeholders {@code {{access}}} and {@code {{refresh}}} are
 * replaced by genuine tokens the engine issued, so the fuzzer can mutate around valid tokens
 * (duplicates, quoting, separators) as well as invent its own.
 *
 * <p>In every {@code mvn test} this runs in regression mode: only the committed inputs under {@code
 * src/test/resources/dev/jwtsession/CookieHeaderFuzzTestInputs/resolvesToAnonymousOrAGenuineSession/}
 * (and an empty input). To fuzz for {@code maxDuration} (crashing inputs land in that directory):
 * {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=CookieHeaderFuzzTest}; for longer, see {@code
 * core/README.md}.
 */
class CookieHeaderFuzzTest {

  private static final MutableClock CLOCK = MutableClock.atFixedStart();
  private static final JwtSession ENGINE =
      JwtSession.builder()
          .access(
              t ->
                  t.cookieName("app_session")
                      .maxAge(Duration.ofMinutes(1))
                      .secret("test-access-secret-that-is-32-bytes-long!"))
          .refresh(
              t ->
                  t.cookieName("app_refresh")
                      .maxAge(Duration.ofDays(7))
                      .secret("test-refresh-secret-that-is-32-bytes-long"))
          .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
          .clock(CLOCK)
          .build();
  private static final Map<String, String> GENUINE = login(ENGINE);

  /** EdDSA (access) and ES256 (refresh) signed tokens; then the same with both encrypted. */
  private static final List<JwtSession> KEYED_ENGINES =
      List.of(
          keyed(Keys.of(TestKeys.key("EdDSA", "ed")), Keys.of(TestKeys.key("ES256", "es")), false),
          keyed(
              Keys.hmac("a", "test-access-secret-that-is-32-bytes-long!"),
              Keys.hmac("r", "test-refresh-secret-that-is-32-bytes-long"),
              true));

  private static final List<Map<String, String>> KEYED_GENUINE =
      KEYED_ENGINES.stream().map(CookieHeaderFuzzTest::login).toList();

  private static JwtSession keyed(Keys access, Keys refresh, boolean encrypted) {
    byte[] accessKey = new byte[32];
    byte[] refreshKey = new byte[32];
    Arrays.fill(refreshKey, (byte) 1);
    return JwtSession.builder()
        .access(
            t -> {
              t.cookieName("app_session").maxAge(Duration.ofMinutes(1)).keys(access);
              if (encrypted) {
                t.encryption(EncryptionKeys.direct("ea", accessKey));
              }
            })
        .refresh(
            t -> {
              t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).keys(refresh);
              if (encrypted) {
                t.encryption(EncryptionKeys.direct("er", refreshKey));
              }
            })
        .reauth(refresh2 -> Optional.of(Payloads.of(refresh2.userClaims(), refresh2.userClaims())))
        .clock(CLOCK)
        .build();
  }

  private static Map<String, String> login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));
    return sink.applyTo(Map.of());
  }

  /**
   * The same contract for the new algorithms and for JWE: an EdDSA/ES256 engine and an engine with
   * encrypted tokens each resolve the input (placeholders replaced by their genuine tokens) to
   * anonymous or the genuine session, never throwing.
   */
  @FuzzTest(maxDuration = "5m")
  void resolvesEdDsaAndEncryptedTokensToAnonymousOrAGenuineSession(byte[] input) {
    for (int i = 0; i < KEYED_ENGINES.size(); i++) {
      String access = KEYED_GENUINE.get(i).get("app_session");
      String refresh = KEYED_GENUINE.get(i).get("app_refresh");
      String header =
          new String(input, StandardCharsets.UTF_8)
              .replace("{{access}}", access)
              .replace("{{refresh}}", refresh);

      Session session = KEYED_ENGINES.get(i).resolve(header, new RecordingCookieSink());

      if (session.isAuthenticated()) {
        assertThat(header).containsAnyOf(access, refresh);
        assertThat(session.subject()).contains("j@doe");
      } else {
        assertThat(session.claims().isEmpty()).isTrue();
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void resolvesToAnonymousOrAGenuineSession(byte[] input) {
    String access = GENUINE.get("app_session");
    String refresh = GENUINE.get("app_refresh");
    String header =
        new String(input, StandardCharsets.UTF_8)
            .replace("{{access}}", access)
            .replace("{{refresh}}", refresh);

    // Anything thrown here fails the fuzz test: resolve must never throw for client input.
    Session session = ENGINE.resolve(header, new RecordingCookieSink());

    if (session.isAuthenticated()) {
      assertThat(header).containsAnyOf(access, refresh);
      assertThat(session.subject()).contains("j@doe");
    } else {
      assertThat(session.claims().isEmpty()).isTrue();
    }
  }
}
