package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Test 1 of issue 16: login, access and reauth through the engine for every supported algorithm,
 * each key pinned through its JWK {@code alg} (EdDSA and Ed25519 are two pinnings of one curve).
 */
class AlgorithmRoundTripTest {

  static final java.util.List<String> ALGORITHMS = TestKeys.ALGORITHMS;

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();

  JwtSession engine(String alg) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .keys(Keys.of(TestKeys.key(alg, "access-" + alg))))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .keys(Keys.of(TestKeys.key(alg, "refresh-" + alg))))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .listener(listener)
        .build();
  }

  @ParameterizedTest
  @FieldSource("ALGORITHMS")
  void loginAccessAndReauthWorkWithTheKeysPinnedAlgorithm(String alg) {
    JwtSession engine = engine(alg);
    RecordingCookieSink loginSink = new RecordingCookieSink();
    engine
        .resolve(null, loginSink)
        .login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));
    Map<String, String> jar = loginSink.applyTo(Map.of());
    assertThat(header(jar.get("app_session")))
        .contains("\"alg\":\"" + alg + "\"")
        .contains("\"kid\":\"access-" + alg + "\"");

    Session access =
        engine.resolve("app_session=" + jar.get("app_session"), new RecordingCookieSink());
    assertThat(access.subject()).contains("j@doe");
    assertThat(access.reauthenticated()).isFalse();

    clock.advance(Duration.ofSeconds(66));
    RecordingCookieSink renewSink = new RecordingCookieSink();
    Session renewed = engine.resolve(RecordingCookieSink.cookieHeader(jar), renewSink);

    assertThat(renewed.subject()).contains("j@doe");
    assertThat(renewed.reauthenticated()).isTrue();
    assertThat(header(renewSink.value("app_session").orElseThrow()))
        .contains("\"alg\":\"" + alg + "\"");
    assertThat(listener.events()).filteredOn(e -> e.startsWith("rejected:REFRESH")).isEmpty();
  }

  static String header(String token) {
    return new String(
        Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8);
  }
}
