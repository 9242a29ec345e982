package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.SelfSigned;
import dev.jwtsession.fixtures.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test 5 of issue 16: every key loader with valid input (keys generated in the test with the JDK's
 * {@code KeyPairGenerator}, a PKCS#12 store built in memory) signs tokens the engine accepts; every
 * bad input fails {@code build()} with a {@link JwtSessionConfigException} naming the setting, and
 * no message carries any base64 run of the key.
 */
class KeyLoadingTest {

  static final char[] PASSWORD = "store-password".toCharArray();

  final MutableClock clock = MutableClock.atFixedStart();
  final List<String> secretsSeen = new ArrayList<>();

  JwtSession engine(Keys accessKeys) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(1)).keys(accessKeys))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secret("test-refresh-secret-that-is-32-bytes-long"))
        .clock(clock)
        .build();
  }

  static void assertWorks(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "j@doe")));
    String token = sink.value("app_session").orElseThrow();
    assertThat(engine.resolve("app_session=" + token, new RecordingCookieSink()).subject())
        .contains("j@doe");
  }

  static KeyPair pair(String type) throws Exception {
    return switch (type) {
      case "RSA" -> {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        yield generator.generateKeyPair();
      }
      case "P-256", "P-384", "P-521" -> {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(
            new ECGenParameterSpec(
                "secp" + type.substring(2) + (type.equals("P-256") ? "r1" : "r1")));
        yield generator.generateKeyPair();
      }
      default -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    };
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** Builds with {@code keys}, expects a configuration error, checks it names access.keys. */
  JwtSessionConfigException assertRefused(Keys keys, String... secrets) {
    JwtSessionConfigException error =
        (JwtSessionConfigException)
            org.assertj.core.api.Assertions.catchThrowable(() -> engine(keys));
    assertThat(error).isNotNull();
    assertThat(error.problems()).allMatch(p -> p.startsWith("access."));
    assertThat(error.problems()).anyMatch(p -> p.startsWith("access.keys: "));
    assertNoKeyMaterial(error.getMessage(), secrets);
    assertNoKeyMaterial(keys.toString(), secrets);
    return error;
  }

  /** No base64 (or base64url) run of 12+ characters of any secret appears in {@code text}. */
  static void assertNoKeyMaterial(String text, String... secrets) {
    for (String secret : secrets) {
      String compact = secret.replaceAll("-----[A-Z ]+-----|\\s", "");
      for (String form :
          List.of(compact, compact.replace('+', '-').replace('/', '_').replace("=", ""))) {
        for (int i = 0; i + 12 <= form.length(); i += 6) {
          assertThat(text).doesNotContain(form.substring(i, i + 12));
        }
      }
    }
    Matcher run = Pattern.compile("[A-Za-z0-9+/_-]{40,}").matcher(text);
    assertThat(run.find()).as("a long base64-like run in: " + text).isFalse();
  }

  // ---- valid input

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "P-256", "P-384", "P-521", "Ed25519"})
  void pkcs8PemSignsAndSubjectPublicKeyInfoPemVerifies(String type) throws Exception {
    KeyPair current = pair(type);
    KeyPair older = pair(type);
    Keys keys =
        Keys.fromPem(
            "current",
            pem("PRIVATE KEY", current.getPrivate().getEncoded()),
            pem("PUBLIC KEY", older.getPublic().getEncoded()));

    assertWorks(engine(keys));
    assertThat(keys.signingKey().getKeyID()).isEqualTo("current");
    assertThat(keys.verificationKeys()).hasSize(1);
    JWK olderJwk = keys.verificationKeys().get(0);
    assertThat(olderJwk.isPrivate()).isFalse();
    assertThat(olderJwk.getKeyID()).isEqualTo(olderJwk.computeThumbprint().toString());
  }

  @Test
  void pemWithoutKidGetsItsRfc7638ThumbprintAsKid() throws Exception {
    KeyPair pair = pair("P-256");
    Keys keys = Keys.fromPem(null, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    assertThat(keys.signingKey().getKeyID())
        .isEqualTo(keys.signingKey().toPublicJWK().computeThumbprint().toString());
  }

  @Test
  void derivedEcPublicKeyMatchesTheGeneratedOne() throws Exception {
    KeyPair pair = pair("P-521");
    Keys keys = Keys.fromPem("k", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    assertThat(keys.signingKey().toECKey().toECPublicKey()).isEqualTo(pair.getPublic());
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "P-256", "Ed25519"})
  void pkcs12KeyStoreEntrySignsAndACertificateAliasVerifies(String type) throws Exception {
    KeyPair current = pair(type);
    KeyPair older = pair(type);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "current",
        current.getPrivate(),
        PASSWORD,
        new Certificate[] {SelfSigned.certificate(current)});
    store.setCertificateEntry("older", SelfSigned.certificate(older));

    Keys keys = Keys.fromKeyStore(store, "current", PASSWORD, "older");

    assertWorks(engine(keys));
    assertThat(keys.verificationKeys()).singleElement().matches(key -> !key.isPrivate());
  }

  @Test
  void keyStoreSecretKeyEntryIsAnHmacKeyWithItsAliasAsKid() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    byte[] secret = "a-secret-of-thirty-two-bytes-or-more!".getBytes(StandardCharsets.UTF_8);
    store.setKeyEntry("hmac-2026", new SecretKeySpec(secret, "HmacSHA256"), PASSWORD, null);

    Keys keys = Keys.fromKeyStore(store, "hmac-2026", PASSWORD);

    assertWorks(engine(keys));
    assertThat(keys.signingKey()).isInstanceOf(OctetSequenceKey.class);
    assertThat(keys.signingKey().getKeyID()).isEqualTo("hmac-2026");
  }

  @Test
  void jwkSetSignsWithTheNamedKidAndVerifiesWithTheOthers() {
    JWK signing = TestKeys.generate("ES256", "new");
    JWK older = TestKeys.generate("ES256", "old");
    String json = new JWKSet(List.of(older, signing)).toString(false);

    Keys keys = Keys.fromJwkSet(json, "new");

    assertWorks(engine(keys));
    assertThat(keys.signingKey().getKeyID()).isEqualTo("new");
    assertThat(keys.verificationKeys()).extracting(JWK::getKeyID).containsExactly("old");
  }

  // ---- bad input

  @Test
  void garbagePemIsAConfigurationErrorWithoutThePemText() {
    String garbage = pem("PRIVATE KEY", "this is not a DER encoded key at all".getBytes());
    JwtSessionConfigException error = assertRefused(Keys.fromPem("k", garbage), garbage);
    assertThat(error.problems()).anyMatch(p -> p.contains("PKCS#8"));
  }

  @Test
  void pkcs1PemIsRefusedWithTheConversionCommand() throws Exception {
    String pkcs1 = pem("RSA PRIVATE KEY", pair("RSA").getPrivate().getEncoded());
    JwtSessionConfigException error = assertRefused(Keys.fromPem("k", pkcs1), pkcs1);
    assertThat(error.problems()).anyMatch(p -> p.contains("openssl pkcs8 -topk8 -nocrypt"));
  }

  @Test
  void wrongKeyStorePasswordIsAConfigurationErrorWithoutThePassword() throws Exception {
    KeyPair pair = pair("P-256");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "current", pair.getPrivate(), PASSWORD, new Certificate[] {SelfSigned.certificate(pair)});
    String encoded = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());

    JwtSessionConfigException error =
        assertRefused(Keys.fromKeyStore(store, "current", "wrong-password".toCharArray()), encoded);

    assertThat(error.problems()).anyMatch(p -> p.contains("password is wrong"));
    assertThat(error.getMessage())
        .doesNotContain("wrong-password")
        .doesNotContain("store-password");
  }

  @Test
  void missingAliasIsAConfigurationErrorNamingIt() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);

    JwtSessionConfigException error =
        assertRefused(Keys.fromKeyStore(store, "current", PASSWORD, "older"));

    assertThat(error.problems())
        .anyMatch(p -> p.contains("'current'"))
        .anyMatch(p -> p.contains("'older'"));
  }

  @Test
  void jwkSetWithoutTheSigningKidIsAConfigurationError() {
    JWK key = TestKeys.generate("ES256", "old");
    String json = new JWKSet(key).toString(false);

    JwtSessionConfigException error =
        assertRefused(Keys.fromJwkSet(json, "new"), key.toJSONObject().get("d").toString());

    assertThat(error.problems()).anyMatch(p -> p.contains("no key with kid 'new'"));
  }

  @Test
  void unparsableJwkSetIsAConfigurationErrorWithoutItsText() {
    String json =
        "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"";
    assertRefused(Keys.fromJwkSet(json, "k"), "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA");
  }

  @Test
  void duplicateKidIsAConfigurationError() {
    JWK one = TestKeys.generate("ES256", "same");
    JWK two = TestKeys.generate("ES256", "same");
    String json = new JWKSet(List.of(one, two)).toString(false);

    JwtSessionConfigException error =
        assertRefused(
            Keys.fromJwkSet(json, "same"),
            one.toJSONObject().get("d").toString(),
            two.toJSONObject().get("d").toString());

    assertThat(error.problems()).anyMatch(p -> p.contains("'same' is used twice"));
  }

  @Test
  void signingKeyWithoutItsPrivatePartIsAConfigurationError() {
    JWK key = TestKeys.generate("RS256", "k");

    JwtSessionConfigException error = assertRefused(Keys.of(key.toPublicJWK()));

    assertThat(error.problems()).anyMatch(p -> p.contains("has no private part"));
  }

  @Test
  void publicPemAsSigningKeyIsAConfigurationError() throws Exception {
    String publicPem = pem("PUBLIC KEY", pair("P-256").getPublic().getEncoded());
    assertRefused(Keys.fromPem("k", publicPem), publicPem);
  }

  @Test
  void everyLoadingProblemIsReportedAtOnce() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    Keys keys =
        Keys.fromPem("k", "garbage", "more garbage")
            .withVerificationOnly(Keys.fromKeyStore(store, "missing", PASSWORD));

    JwtSessionConfigException error = assertRefused(keys);

    assertThat(error.problems()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void ed448AndX25519AreRefusedWithAClearMessage() throws Exception {
    JWK x25519 =
        new com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator(com.nimbusds.jose.jwk.Curve.X25519)
            .keyID("x")
            .generate();

    JwtSessionConfigException error =
        assertRefused(Keys.of(x25519), x25519.toJSONObject().get("d").toString());

    assertThat(error.problems())
        .anyMatch(p -> p.contains("X25519") && p.contains("Use an Ed25519"));
    KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
    String ed448Pem = pem("PRIVATE KEY", ed448.getPrivate().getEncoded());
    assertRefused(Keys.fromPem("k", ed448Pem), ed448Pem);
  }

  @Test
  void ecdsaIsRefusedOnJavaVersionsWithCve2022_21449() {
    assertThat(Keys.ecIsUnsafeOn(Runtime.Version.parse("17.0.2"))).isTrue();
    assertThat(Keys.ecIsUnsafeOn(Runtime.Version.parse("15.0.7"))).isTrue();
    assertThat(Keys.ecIsUnsafeOn(Runtime.Version.parse("17.0.3"))).isFalse();
    assertThat(Keys.ecIsUnsafeOn(Runtime.Version.parse("21.0.1"))).isFalse();
    assertThat(Keys.ecIsUnsafeOn(Runtime.Version.parse("11.0.20"))).isFalse();
  }

  @Test
  void keysToStringNamesKidsNeverMaterial() {
    JWK key = TestKeys.key("EdDSA", "visible-kid");
    Keys keys =
        Keys.of(key).withVerificationOnly(Keys.hmac("h", "a-secret-of-thirty-two-bytes-or-more!"));

    assertThat(keys.toString()).contains("visible-kid").contains("h");
    assertNoKeyMaterial(
        keys.toString(),
        key.toJSONObject().get("d").toString(),
        Base64.getEncoder().encodeToString("a-secret-of-thirty-two-bytes-or-more!".getBytes()));
    assertThatThrownBy(() -> Keys.fromJwkSet("{", "k").signingKey())
        .isInstanceOf(IllegalStateException.class);
  }
}
