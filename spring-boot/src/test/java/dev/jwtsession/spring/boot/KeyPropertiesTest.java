package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code jwt-session.<token>.keys[i].*} and {@code <token>.encryption.keys[i].*} bind and load. */
class KeyPropertiesTest {

  static final String OLD_SECRET = "an-older-test-secret-of-32-bytes-or-more";
  static final String AES_KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OLD_AES_KEY = Base64.getEncoder().encodeToString(filled(7));

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(JwtSessionAutoConfigurationTest.AUTO_CONFIGURATIONS);

  static byte[] filled(int value) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) value);
    return key;
  }

  static String pkcs8Pem(JWK key) throws Exception {
    byte[] der = ((ECKey) key).toPrivateKey().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  String report(ApplicationContextRunner failing) {
    String[] text = new String[1];
    failing.run(
        context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis =
              new JwtSessionFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).as("%s", context.getStartupFailure()).isNotNull();
          text[0] = analysis.getDescription();
        });
    assertThat(text[0])
        .doesNotContain(TestSecrets.ACCESS)
        .doesNotContain(OLD_SECRET)
        .doesNotContain(AES_KEY);
    return text[0];
  }

  @Test
  void hmacSecretsByKidGiveASigningKeyAndAVerificationOnlyKey() {
    runner
        .withPropertyValues(
            "jwt-session.access.keys[0].kid=2026-12",
            "jwt-session.access.keys[0].secret=" + TestSecrets.ACCESS,
            "jwt-session.access.keys[1].kid=2026-06",
            "jwt-session.access.keys[1].secret=" + OLD_SECRET,
            "jwt-session.access.keys[1].verify-only=true",
            "jwt-session.refresh.secret=" + TestSecrets.REFRESH)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(engine.accessSettings().keys().signingKey().getKeyID())
                  .isEqualTo("2026-12");
              assertThat(engine.accessSettings().keys().verificationKeys())
                  .extracting(JWK::getKeyID)
                  .containsExactly("2026-06");
              assertThat(engine.accessSettings().toString())
                  .doesNotContain(TestSecrets.ACCESS)
                  .doesNotContain(OLD_SECRET);
            });
  }

  @Test
  void aJwkSignsAndAPemFileVerifiesOnlyAndTheKidOfTheEntryIsUsed(@TempDir Path dir)
      throws Exception {
    Path pem = dir.resolve("old.pem");
    Files.writeString(pem, pkcs8Pem(TestKeys.key("ES256", "ignored")));
    runner
        .withPropertyValues(
            "jwt-session.access.keys[0].jwk=" + TestKeys.key("ES256", "new").toJSONString(),
            "jwt-session.access.keys[1].kid=old",
            "jwt-session.access.keys[1].pem-location=" + pem.toUri(),
            "jwt-session.access.keys[1].verify-only=true",
            "jwt-session.refresh.secret=" + TestSecrets.REFRESH)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(engine.accessSettings().keys().signingKey().getKeyID()).isEqualTo("new");
              assertThat(engine.accessSettings().keys().verificationKeys())
                  .extracting(JWK::getKeyID)
                  .containsExactly("old");
              RecordingCookieSink sink = new RecordingCookieSink();
              engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
              assertThat(sink.value("jwt_session_access")).isPresent();
            });
  }

  @Test
  void encryptionKeysEncryptWithTheFirstAndDecryptWithTheOthers() {
    runner
        .withPropertyValues(TestSecrets.PROPERTIES)
        .withPropertyValues(
            "jwt-session.access.encryption.keys[0].kid=e2",
            "jwt-session.access.encryption.keys[0].key=" + AES_KEY,
            "jwt-session.access.encryption.keys[1].kid=e1",
            "jwt-session.access.encryption.keys[1].key=" + OLD_AES_KEY)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(engine.accessSettings().encryption()).isPresent();
              assertThat(engine.accessSettings().encryption().get().encryptingKid())
                  .isEqualTo("e2");
              assertThat(engine.accessSettings().encryption().get().kids())
                  .containsExactlyInAnyOrder("e2", "e1");
              assertThat(engine.refreshSettings().encryption()).isEmpty();
              RecordingCookieSink sink = new RecordingCookieSink();
              engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
              String token = sink.value("jwt_session_access").orElseThrow();
              assertThat(token.split("\\.")).hasSize(5);
            });
  }

  @Test
  void badKeyEntriesFailTheStartNamingEachPropertyWithoutKeyMaterial() {
    String report =
        report(
            runner.withPropertyValues(
                "jwt-session.access.keys[0].kid=a",
                "jwt-session.access.keys[0].secret=" + TestSecrets.ACCESS,
                "jwt-session.access.keys[0].jwk={\"kty\":\"oct\"}",
                "jwt-session.refresh.keys[0].kid=r",
                "jwt-session.refresh.keys[0].jwk=not json " + OLD_SECRET,
                "jwt-session.access.encryption.keys[0].kid=e",
                "jwt-session.access.encryption.keys[0].key=%%%not-base64%%%"));

    assertThat(report)
        .contains("jwt-session.access.keys[0].secret: more than one key source is given")
        .contains("jwt-session.refresh.keys[0].jwk: is not a JWK")
        .contains("jwt-session.access.encryption.keys[0].key: is missing or not base64");
  }

  @Test
  void keysWithoutExactlyOneSigningKeyOrTogetherWithASecretFailTheStart() {
    String report =
        report(
            runner.withPropertyValues(
                "jwt-session.access.secret=" + TestSecrets.ACCESS,
                "jwt-session.access.keys[0].secret=" + OLD_SECRET,
                "jwt-session.refresh.keys[0].secret=" + OLD_SECRET,
                "jwt-session.refresh.keys[0].verify-only=true"));

    assertThat(report)
        .contains("jwt-session.access.keys: is set together with jwt-session.access.secret")
        .contains("jwt-session.refresh.keys: has no signing key");
  }

  @Test
  void aPublicJwkVerifiesOnlyAndAnUnreadablePemLocationIsNamed(@TempDir Path dir) {
    runner
        .withPropertyValues(
            "jwt-session.access.keys[0].jwk=" + TestKeys.key("ES256", "now").toJSONString(),
            "jwt-session.access.keys[1].jwk="
                + TestKeys.key("ES256", "next").toPublicJWK().toJSONString(),
            "jwt-session.access.keys[1].verify-only=true",
            "jwt-session.refresh.secret=" + TestSecrets.REFRESH)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(engine.accessSettings().keys().verificationKeys())
                  .extracting(JWK::getKeyID)
                  .containsExactly("next");
            });

    String report =
        report(
            runner.withPropertyValues(
                "jwt-session.access.keys[0].pem-location=" + dir.resolve("missing.pem").toUri(),
                "jwt-session.refresh.secret=" + TestSecrets.REFRESH));

    assertThat(report).contains("jwt-session.access.keys[0].pem-location: cannot be read");
  }
}
