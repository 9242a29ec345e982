package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key rules the README states: RSA keys of at least 2048 bits, EC keys only on
 * P-256/P-384/P-521 with the algorithm their curve implies, a distinct {@code kid} on every key of
 * a set, and key rotation with {@code Keys.of(newKey, oldKey)}.
 */
class KeysTest extends EngineHarness {

  JwtSession withAccessKeys(Keys keys) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).keys(keys))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  String login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "a")));
    return sink.value("app_session").orElseThrow();
  }

  static String kidOf(String token) {
    return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))))
        .replaceAll(".*\"kid\":\"([^\"]*)\".*", "$1");
  }

  @Test
  void anRsaKeyShorterThan2048BitsFailsTheBuild() throws Exception {
    RSAKey weak = new RSAKeyGenerator(1024, true).generate();

    assertThatThrownBy(() -> withAccessKeys(Keys.of(weak)))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("the RSA key has 1024 bits")
        .hasMessageContaining("Use an RSA key of 2048+ bits");
  }

  @Test
  void anEcKeyWhoseAlgorithmDoesNotMatchItsCurveFailsTheBuild() throws Exception {
    ECKey mismatched = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES384).generate();

    assertThatThrownBy(() -> withAccessKeys(Keys.of(mismatched)))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("ES384 does not match curve P-256");
  }

  @Test
  void anEcKeyOnEachSupportedCurveSignsWithTheAlgorithmOfItsCurve() throws Exception {
    Map<Curve, String> algorithms =
        Map.of(Curve.P_256, "ES256", Curve.P_384, "ES384", Curve.P_521, "ES512");
    for (Curve curve : algorithms.keySet()) {
      JwtSession engine = withAccessKeys(Keys.of(new ECKeyGenerator(curve).generate()));

      String token = login(engine);

      String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
      assertThat(header).as(curve.getName()).contains("\"alg\":\"" + algorithms.get(curve) + "\"");
      assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).isTrue();
    }
  }

  @Test
  void moreThanOneKeyWithoutDistinctKidsFailsTheBuild() throws Exception {
    RSAKey first = new RSAKeyGenerator(2048).keyID("same").generate();
    RSAKey second = new RSAKeyGenerator(2048).keyID("same").generate();
    RSAKey unnamed = new RSAKeyGenerator(2048).generate();

    assertThatThrownBy(() -> withAccessKeys(Keys.of(first, second.toPublicJWK())))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("every key needs a distinct kid");
    // An asymmetric key without kid gets its RFC 7638 thumbprint as kid (issue 16), so it is
    // distinct from "same" and the build succeeds.
    assertThat(withAccessKeys(Keys.of(first, unnamed.toPublicJWK()))).isNotNull();
  }

  @Test
  void keyRotationWithKeysOfNewAndOldAcceptsOldTokensAndSignsWithTheNewKey() throws Exception {
    RSAKey oldKey = new RSAKeyGenerator(2048).keyID("2026-01").generate();
    RSAKey newKey = new RSAKeyGenerator(2048).keyID("2026-02").generate();
    JwtSession before = withAccessKeys(Keys.of(oldKey, newKey.toPublicJWK()));
    String oldToken = login(before);
    assertThat(kidOf(oldToken)).isEqualTo("2026-01");

    JwtSession during = withAccessKeys(Keys.of(newKey, oldKey.toPublicJWK()));
    assertThat(resolve(during, "app_session=" + oldToken).isAuthenticated()).isTrue();
    String newToken = login(during);
    assertThat(kidOf(newToken)).isEqualTo("2026-02");
    assertThat(resolve(before, "app_session=" + newToken).isAuthenticated()).isTrue();

    JwtSession after = withAccessKeys(Keys.of(newKey));
    listener.clear();
    assertThat(resolve(after, "app_session=" + oldToken).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:UNKNOWN_KEY");
  }
}
