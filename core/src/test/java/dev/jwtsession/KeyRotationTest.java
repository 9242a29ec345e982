package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test 3 of issue 16: a key rotation in one engine. Tokens signed with the old key are accepted
 * while it is configured (as signing or verification-only key), new tokens carry the new {@code
 * kid}, and once the old key is removed its tokens are {@code UNKNOWN_KEY}.
 */
class KeyRotationTest {

  static final String OLD_SECRET = "old-access-secret-that-is-32-bytes-long!";
  static final String NEW_SECRET = "new-access-secret-that-is-32-bytes-long!";

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();

  JwtSession engine(Keys accessKeys) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(15)).keys(accessKeys))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secret("test-refresh-secret-that-is-32-bytes-long"))
        .clock(clock)
        .listener(listener)
        .build();
  }

  String login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "j@doe")));
    return sink.value("app_session").orElseThrow();
  }

  boolean accepted(JwtSession engine, String token) {
    return engine.resolve("app_session=" + token, new RecordingCookieSink()).isAuthenticated();
  }

  static String kidOf(String token) {
    String header =
        new String(
            Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
            StandardCharsets.UTF_8);
    return header.replaceAll(".*\"kid\":\"([^\"]*)\".*", "$1");
  }

  void rotate(Keys oldKeys, Keys newKeys, Function<Keys, Keys> withOld) {
    String oldToken = login(engine(oldKeys));
    assertThat(kidOf(oldToken)).isEqualTo("k1");

    // phase 1: the new key verifies only; the old one still signs
    JwtSession phase1 = engine(oldKeys.withVerificationOnly(newKeys));
    assertThat(accepted(phase1, oldToken)).isTrue();
    assertThat(kidOf(login(phase1))).isEqualTo("k1");

    // phase 2: the new key signs, the old one verifies only
    JwtSession phase2 = engine(withOld.apply(newKeys));
    assertThat(accepted(phase2, oldToken)).isTrue();
    String newToken = login(phase2);
    assertThat(kidOf(newToken)).isEqualTo("k2");
    assertThat(accepted(phase1, newToken)).as("a phase-1 node accepts the new kid").isTrue();

    // phase 3: the old key is gone
    JwtSession phase3 = engine(newKeys);
    listener.clear();
    assertThat(accepted(phase3, oldToken)).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:UNKNOWN_KEY");
    assertThat(accepted(phase3, newToken)).isTrue();
  }

  @Test
  void hmacSecretsRotateByKidWithoutLoggingAnyoneOut() {
    Keys oldKeys = Keys.hmac("k1", OLD_SECRET);
    Keys newKeys = Keys.hmac("k2", NEW_SECRET);
    rotate(oldKeys, newKeys, keys -> keys.withVerificationOnly(Keys.hmac("k1", OLD_SECRET)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
  void asymmetricKeysRotateByKidWithoutLoggingAnyoneOut(String alg) {
    JWK oldKey = TestKeys.key(alg, "k1");
    JWK newKey = TestKeys.generate(alg, "k2");
    rotate(Keys.of(oldKey), Keys.of(newKey), keys -> Keys.of(newKey, oldKey.toPublicJWK()));
  }

  @Test
  void tokenWithoutKidIsCheckedAgainstTheSigningKeyOnly() {
    String token = login(engine(Keys.hmac(OLD_SECRET))); // no kid
    listener.clear();

    assertThat(
            accepted(
                engine(
                    Keys.hmac("k2", NEW_SECRET).withVerificationOnly(Keys.hmac("k1", OLD_SECRET))),
                token))
        .isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:BAD_SIGNATURE");
  }
}
