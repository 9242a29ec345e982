package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Test 6 of issue 16: encrypted cookies (compact JWE, {@code dir} + {@code A256GCM}). The cookie
 * hides every claim value; each of the five parts tampered is refused; {@code zip}, PBES2 with an
 * absurd {@code p2c} and {@code epk} are refused from the header alone, under a 2-second timeout
 * (honouring {@code p2c} would take minutes, inflating the bomb gigabytes); an unknown {@code kid}
 * and an access token in the refresh slot are refused with their reasons.
 */
class EncryptedCookieTest extends EngineHarness {

  static final byte[] ACCESS_KEY = bytes(1);
  static final byte[] OLD_ACCESS_KEY = bytes(2);
  static final byte[] REFRESH_KEY = bytes(3);

  static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i * 7);
    }
    return key;
  }

  JwtSession encrypted() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .secret(ACCESS_SECRET)
                    .encryption(
                        EncryptionKeys.direct("a2", ACCESS_KEY)
                            .withDecryptionOnly(EncryptionKeys.direct("a1", OLD_ACCESS_KEY))))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secret(REFRESH_SECRET)
                    .encryption(EncryptionKeys.direct("r1", REFRESH_KEY)))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .listener(listener)
        .build();
  }

  Map<String, String> login(JwtSession engine) {
    RecordingCookieSink loginSink = new RecordingCookieSink();
    engine
        .resolve(null, loginSink)
        .login(
            Payloads.of(
                Map.of("sub", "secret-subject@example.com", "role", "auditor"),
                Map.of("sub", "secret-subject@example.com")));
    listener.clear();
    return loginSink.applyTo(Map.of());
  }

  void assertAccessRefused(JwtSession engine, String token, RejectionReason reason) {
    Session session = resolve(engine, "app_session=" + token);
    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:" + reason);
    listener.clear();
  }

  static String jweHeader(String json) {
    return b64(json);
  }

  /** {@code header..iv.ciphertext.tag}: a shape that passes the part checks. */
  static String withHeader(String headerJson, String genuine) {
    String[] parts = genuine.split("\\.", -1);
    return b64(headerJson) + "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4];
  }

  @Test
  void encryptedCookieRoundTripsAndHasTheDocumentedHeader() throws Exception {
    JwtSession engine = encrypted();
    Map<String, String> jar = login(engine);
    String token = jar.get("app_session");

    assertThat(token.split("\\.", -1)).hasSize(5);
    assertThat(token.split("\\.", -1)[1]).isEmpty();
    String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    assertThat(com.nimbusds.jose.util.JSONObjectUtils.parse(header))
        .isEqualTo(Map.of("alg", "dir", "enc", "A256GCM", "kid", "a2", "typ", "at+jwt"));
    assertThat(resolve(engine, "app_session=" + token).claims().get("role")).isEqualTo("auditor");

    clock.advance(Duration.ofSeconds(66));
    Session renewed = resolve(engine, RecordingCookieSink.cookieHeader(jar));
    assertThat(renewed.reauthenticated()).isTrue();
    assertThat(sink.value("app_session").orElseThrow().split("\\.", -1)).hasSize(5);
  }

  @Test
  void cookieValueContainsNoneOfTheClaimValuesInAnyPart() {
    Map<String, String> jar = login(encrypted());
    for (String token : jar.values()) {
      assertThat(token).doesNotContain("secret-subject");
      for (String part : token.split("\\.", -1)) {
        String decoded =
            new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
        assertThat(decoded)
            .doesNotContain("secret-subject@example.com")
            .doesNotContain("auditor")
            .doesNotContain("\"sid\"");
      }
    }
  }

  @Test
  void eachOfTheFivePartsTamperedIsRefused() {
    JwtSession engine = encrypted();
    String token = login(engine).get("app_session");
    String[] parts = token.split("\\.", -1);
    RejectionReason[] expected = {
      RejectionReason.MALFORMED, // header no longer our JSON (or a changed kid / member)
      RejectionReason.MALFORMED, // a non-empty encrypted key
      RejectionReason.BAD_SIGNATURE, // IV: the tag no longer matches
      RejectionReason.BAD_SIGNATURE, // ciphertext
      RejectionReason.BAD_SIGNATURE // tag
    };
    for (int i = 0; i < 5; i++) {
      String[] changed = parts.clone();
      changed[i] = i == 1 ? "AAAA" : flipFirst(parts[i]);
      listener.clear();
      Session session = resolve(engine, "app_session=" + String.join(".", changed));
      assertThat(session.isAuthenticated()).as("part " + i).isFalse();
      assertThat(listener.events())
          .as("part " + i)
          .singleElement()
          .matches(e -> e.startsWith("rejected:ACCESS:"));
      if (i >= 1) {
        assertThat(listener.events()).containsExactly("rejected:ACCESS:" + expected[i]);
      }
    }
  }

  static String flipFirst(String part) {
    char first = part.charAt(0);
    return (first == 'A' ? 'B' : 'A') + part.substring(1);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void deflateBombWithZipHeaderIsRefusedUninflated() throws Exception {
    JWEHeader header =
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
            .compressionAlgorithm(CompressionAlgorithm.DEF)
            .keyID("a2")
            .type(new JOSEObjectType("at+jwt"))
            .build();
    char[] zeros = new char[2_500_000];
    Arrays.fill(zeros, ' ');
    JWEObject bomb = new JWEObject(header, new Payload("{\"pad\":\"" + new String(zeros) + "\"}"));
    bomb.encrypt(new DirectEncrypter(new SecretKeySpec(ACCESS_KEY, "AES")));
    String token = bomb.serialize();
    assertThat(token.length()).isBetween(2500, 4096);

    assertAccessRefused(encrypted(), token, RejectionReason.FORBIDDEN_HEADER);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void pbes2HeaderWithAHugeIterationCountIsRefusedUnderived() {
    String genuine = login(encrypted()).get("app_session");
    String p2c =
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":2147483647,"
            + "\"p2s\":\"c2FsdHNhbHQ\",\"kid\":\"a2\",\"typ\":\"at+jwt\"}";

    assertAccessRefused(encrypted(), withHeader(p2c, genuine), RejectionReason.FORBIDDEN_HEADER);
    String pbes2Only =
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"kid\":\"a2\",\"typ\":\"at+jwt\"}";
    assertAccessRefused(
        encrypted(), withHeader(pbes2Only, genuine), RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void epkHeaderIsRefusedBeforeAnyKeyAgreement() {
    String genuine = login(encrypted()).get("app_session");
    String epk =
        "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\","
            + "\"x\":\"gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0\","
            + "\"y\":\"SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps\"},\"kid\":\"a2\",\"typ\":\"at+jwt\"}";

    assertAccessRefused(encrypted(), withHeader(epk, genuine), RejectionReason.FORBIDDEN_HEADER);
  }

  @Test
  void realisticPbes2TokenWithAnEncryptedKeyIsRefusedByShape() {
    String genuine = login(encrypted()).get("app_session");
    String[] parts = genuine.split("\\.", -1);
    String token =
        b64(
                "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":2147483647,\"p2s\":\"c2FsdA\"}")
            + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA."
            + parts[2]
            + "."
            + parts[3]
            + "."
            + parts[4];

    assertAccessRefused(encrypted(), token, RejectionReason.MALFORMED);
  }

  @Test
  void otherHeaderMembersAreRefusedWithoutDecrypting() {
    String genuine = login(encrypted()).get("app_session");
    for (String member :
        List.of(
            "\"jku\":\"https://evil.example/jwks\"",
            "\"jwk\":{}",
            "\"x5u\":\"https://evil.example/x\"",
            "\"x5c\":[]",
            "\"crit\":[\"exp\"]",
            "\"cty\":\"JWT\"",
            "\"apu\":\"YQ\"",
            "\"apv\":\"YQ\"",
            "\"p2s\":\"YQ\"")) {
      String header =
          "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"a2\",\"typ\":\"at+jwt\"," + member + "}";
      assertAccessRefused(
          encrypted(), withHeader(header, genuine), RejectionReason.FORBIDDEN_HEADER);
    }
  }

  @Test
  void otherContentEncryptionIsRefused() {
    String genuine = login(encrypted()).get("app_session");
    String header = "{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"kid\":\"a2\",\"typ\":\"at+jwt\"}";
    assertAccessRefused(encrypted(), withHeader(header, genuine), RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void unknownKidIsRefused() {
    String genuine = login(encrypted()).get("app_session");
    String header = "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"a9\",\"typ\":\"at+jwt\"}";
    assertAccessRefused(encrypted(), withHeader(header, genuine), RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void tokenEncryptedWithTheOlderKeyIsAcceptedUntilItIsRemoved() throws Exception {
    JWEObject older =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .keyID("a1")
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new Payload(
                "{\"sub\":\"j@doe\",\"iat\":"
                    + clock.instant().getEpochSecond()
                    + ",\"exp\":"
                    + (clock.instant().getEpochSecond() + 60)
                    + "}"));
    older.encrypt(new DirectEncrypter(new SecretKeySpec(OLD_ACCESS_KEY, "AES")));

    assertThat(resolve(encrypted(), "app_session=" + older.serialize()).subject())
        .contains("j@doe");
  }

  @Test
  void accessTokenPresentedAsRefreshIsRefusedAsWrongType() {
    JwtSession engine = encrypted();
    String access = login(engine).get("app_session");

    Session session = resolve(engine, "app_refresh=" + access);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:REFRESH:WRONG_TOKEN_TYPE");
  }

  @Test
  void signedTokenIsRefusedWhereEncryptionIsOn() {
    String signed = loginToken(engine());
    assertAccessRefused(encrypted(), signed, RejectionReason.MALFORMED);
  }

  @Test
  void verifiedEncryptedTokensAreCached() {
    JwtSession engine = encrypted();
    String token = login(engine).get("app_session");
    Session first = resolve(engine, "app_session=" + token);
    Session second = resolve(engine, "app_session=" + token);
    // The cache hands back the very Claims object verified the first time.
    assertThat(second.claims()).isSameAs(first.claims());
  }

  @Test
  void accessAndRefreshSharingAnEncryptionKeyIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("a")
                                .maxAge(Duration.ofMinutes(1))
                                .secret(ACCESS_SECRET)
                                .encryption(EncryptionKeys.direct("k", ACCESS_KEY)))
                    .refresh(
                        t ->
                            t.cookieName("r")
                                .maxAge(Duration.ofDays(1))
                                .secret(REFRESH_SECRET)
                                .encryption(EncryptionKeys.direct("k2", ACCESS_KEY)))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("refresh.encryption: uses a key that access.encryption uses too");
  }

  @Test
  void wrongKeySizeAndDuplicateKidAreConfigurationErrorsWithoutKeyBytes() {
    EncryptionKeys keys =
        EncryptionKeys.direct("k", new byte[16])
            .withDecryptionOnly(EncryptionKeys.direct("k", ACCESS_KEY));
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("a")
                                .maxAge(Duration.ofMinutes(1))
                                .secret(ACCESS_SECRET)
                                .encryption(keys))
                    .refresh(
                        t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret(REFRESH_SECRET))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("access.encryption: key 'k' is 16 bytes")
        .hasMessageContaining("access.encryption: kid 'k' is used twice")
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(ACCESS_KEY).substring(0, 12));
    assertThat(keys.toString()).doesNotContain(Base64.getEncoder().encodeToString(ACCESS_KEY));
  }
}
