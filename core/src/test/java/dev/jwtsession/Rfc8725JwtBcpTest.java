package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.ACCESS_HEADER;
import static dev.jwtsession.fixtures.TokenForge.accessPayload;
import static dev.jwtsession.fixtures.TokenForge.hs256;
import static dev.jwtsession.fixtures.TokenForge.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import dev.jwtsession.fixtures.TokenForge;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per attack of RFC 8725 (JSON Web Token Best Current Practices) and of the issue's list
 * of hostile inputs. Each asserts that the request stays anonymous, that nothing is thrown, and
 * which {@link RejectionReason} fired, so a test fails when the rule it names is removed. Wherever
 * the attack must get past the signature, the forged token is signed with the engine's real key.
 */
class Rfc8725JwtBcpTest {

  static final String ACCESS_SECRET = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH_SECRET = "test-refresh-secret-that-is-32-bytes-long";
  static final String SHARED_SECRET = "one-secret-shared-by-both-token-types!!";

  static RSAKey serverKey;
  static RSAKey attackerKey;

  final MutableClock clock = MutableClock.atFixedStart();
  final long now = clock.instant().getEpochSecond();
  final CapturingListener listener = new CapturingListener();
  final RecordingCookieSink sink = new RecordingCookieSink();
  final AtomicInteger reauthCalls = new AtomicInteger();

  @BeforeAll
  static void generateRsaKeys() {
    serverKey = TokenForge.newRsaKey("k1");
    attackerKey = TokenForge.newRsaKey("k1");
  }

  /** Whether the engines run with {@code svelteKitInterop} (see the subclass). */
  boolean svelteKitInterop() {
    return false;
  }

  JwtSession hmacEngine() {
    return JwtSession.builder()
        .svelteKitInterop(svelteKitInterop())
        .access(
            t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).secret(ACCESS_SECRET))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  JwtSession rsaEngine() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).keys(Keys.of(serverKey)))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  /** Both token types signed with one secret, and a reauth that counts its calls. */
  JwtSession sharedSecretEngine() {
    return JwtSession.builder()
        .svelteKitInterop(svelteKitInterop())
        .access(
            t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).secret(SHARED_SECRET))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(SHARED_SECRET))
        .reauth(
            refresh -> {
              reauthCalls.incrementAndGet();
              return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
            })
        .clock(clock)
        .listener(listener)
        .build();
  }

  /** Logs in on {@code engine} and returns the cookies the browser would hold. */
  Map<String, String> login(JwtSession engine) {
    RecordingCookieSink loginSink = new RecordingCookieSink();
    engine
        .resolve(null, loginSink)
        .login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));
    listener.clear();
    return loginSink.applyTo(Map.of());
  }

  /** Resolves {@code cookieHeader}, failing the test if anything is thrown. */
  Session resolve(JwtSession engine, String cookieHeader) {
    AtomicReference<Session> session = new AtomicReference<>();
    assertThatCode(() -> session.set(engine.resolve(cookieHeader, sink)))
        .doesNotThrowAnyException();
    return session.get();
  }

  /** The access cookie {@code token} is refused for exactly {@code reason} and is cleared. */
  void assertAccessRefused(JwtSession engine, String token, RejectionReason reason) {
    Session session = resolve(engine, "app_session=" + token);
    assertThat(session.isAuthenticated()).as("authenticated").isFalse();
    assertThat(session.claims().isEmpty()).isTrue();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:" + reason);
    assertThat(sink.clears("app_session")).as("bad cookie cleared").isTrue();
  }

  String header(String alg) {
    return "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\"}";
  }

  // ---- controls: the forge makes tokens the engine accepts, so each refusal below is the rule's

  @Test
  void forgedTokenWithTheRealSecretAndNoAttackIsAccepted() {
    Session session =
        resolve(
            hmacEngine(),
            "app_session=" + hs256(ACCESS_HEADER, accessPayload(now, ""), ACCESS_SECRET));

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(session.subject()).contains("mallory");
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void forgedRs256TokenWithTheRealKeyAndItsKidIsAccepted() {
    String token =
        TokenForge.rs256(
            "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
            accessPayload(now, ""),
            serverKey);

    assertThat(resolve(rsaEngine(), "app_session=" + token).isAuthenticated()).isTrue();
    assertThat(listener.events()).isEmpty();
  }

  // ---- algorithms (RFC 8725 §2.1, §3.1)

  @ParameterizedTest(name = "alg: {0}")
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNoneInAnySpellingIsRefusedEvenWithAValidMacAttached(String none) {
    assertAccessRefused(
        hmacEngine(),
        hs256(header(none), accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void algNoneWithTheSignatureLeftEmptyIsRefused() {
    assertAccessRefused(
        hmacEngine(),
        TokenForge.unsigned(header("none"), accessPayload(now, "")),
        RejectionReason.MALFORMED);
  }

  @Test
  void ownTokenWithTheSignatureStrippedIsRefused() {
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");

    assertAccessRefused(
        engine, token.substring(0, token.lastIndexOf('.')), RejectionReason.MALFORMED);
  }

  @Test
  void ownTokenWithAnEmptySignatureIsRefused() {
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");

    assertAccessRefused(
        engine, token.substring(0, token.lastIndexOf('.') + 1), RejectionReason.MALFORMED);
  }

  @Test
  void ownTokenWhoseSignatureHasStrayLowBitsIsRefused() {
    // 43 characters carry 256 bits: the last one has 2 unused bits the JDK decoder ignores, so
    // without the canonical-encoding rule 4 spellings of one token would all verify.
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);

    assertAccessRefused(
        engine, token.substring(0, token.length() - 1) + sibling, RejectionReason.MALFORMED);
  }

  @ParameterizedTest(name = "alg: {0}")
  @ValueSource(strings = {"HS999", "hs256", "HS256 ", "ES256K", "PS256", "dir", ""})
  void unknownOrMisspelledAlgorithmIsRefused(String alg) {
    assertAccessRefused(
        hmacEngine(),
        hs256(header(alg), accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void anotherHmacAlgorithmThanTheKeysIsRefused() {
    String token =
        TokenForge.hmac(
            "HmacSHA384",
            header("HS384"),
            accessPayload(now, ""),
            ACCESS_SECRET.getBytes(StandardCharsets.UTF_8));

    assertAccessRefused(hmacEngine(), token, RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void algHeaderThatIsNotAStringIsRefused() {
    assertAccessRefused(
        hmacEngine(),
        hs256("{\"alg\":[\"HS256\"],\"typ\":\"at+jwt\"}", accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void hmacTokenSignedWithTheRsaPublicKeyBytesIsRefused() {
    // The classic confusion: a verifier that feeds "the key" to whatever alg the header names would
    // check this HMAC with the public key, which the attacker knows.
    JwtSession engine = rsaEngine();
    for (byte[] publicKey :
        new byte[][] {TokenForge.publicKeyPem(serverKey), TokenForge.publicKeyDer(serverKey)}) {
      listener.clear();
      assertAccessRefused(
          engine,
          hs256(
              "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
              accessPayload(now, ""),
              publicKey),
          RejectionReason.ALG_NOT_ALLOWED);
      listener.clear();
      assertAccessRefused(
          engine,
          hs256(header("HS256"), accessPayload(now, ""), publicKey),
          RejectionReason.ALG_NOT_ALLOWED);
    }
  }

  @Test
  void rsaSignedTokenWhereAnHmacSecretIsConfiguredIsRefused() {
    assertAccessRefused(
        hmacEngine(),
        TokenForge.rs256(header("RS256"), accessPayload(now, ""), attackerKey),
        RejectionReason.ALG_NOT_ALLOWED);
  }

  // ---- keys (RFC 8725 §3.10)

  @Test
  void hmacTokenSignedWithAnotherSecretIsRefused() {
    assertAccessRefused(
        hmacEngine(),
        hs256(ACCESS_HEADER, accessPayload(now, ""), "an-attacker-secret-that-is-32-bytes-long"),
        RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void rsaTokenSignedWithAnotherKeyOfTheSameKidIsRefused() {
    assertAccessRefused(
        rsaEngine(),
        TokenForge.rs256(
            "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
            accessPayload(now, ""),
            attackerKey),
        RejectionReason.BAD_SIGNATURE);
  }

  @ParameterizedTest(name = "kid: {0}")
  @ValueSource(
      strings = {
        "../../../../../../dev/null",
        "/etc/passwd",
        "..\\..\\windows\\win.ini",
        "x' UNION SELECT 'secret' --",
        "1; DROP TABLE keys",
        "k1\u0000",
        ""
      })
  void kidIsOnlyALookupKeySoPathsAndSqlFindNoKey(String kid) {
    String header =
        "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\""
            + kid.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000")
            + "\"}";

    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void kidThatIsNotAStringIsRefused() {
    assertAccessRefused(
        hmacEngine(),
        hs256(
            "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":1}",
            accessPayload(now, ""),
            ACCESS_SECRET),
        RejectionReason.MALFORMED);
  }

  @ParameterizedTest(name = "header: {0}")
  @ValueSource(
      strings = {
        "\"jwk\":{\"kty\":\"oct\",\"k\":\"dGVzdC1hY2Nlc3Mtc2VjcmV0LXRoYXQtaXMtMzItYnl0ZXMtbG9uZyE\"}",
        "\"jku\":\"https://attacker.example/jwks.json\"",
        "\"x5u\":\"https://attacker.example/cert.pem\"",
        "\"x5c\":[\"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\"]",
        "\"x5t\":\"dGh1bWJwcmludA\"",
        "\"cty\":\"JWT\"",
        "\"zip\":\"DEF\""
      })
  void embeddedKeyAndOtherUnexpectedHeadersAreRefusedEvenWithTheRealSecret(String member) {
    String header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"," + member + "}";

    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.FORBIDDEN_HEADER);
  }

  @Test
  void selfSignedTokenCarryingItsOwnRsaJwkIsRefusedUnparsedBySize() {
    // A 2048-bit RSA JWK alone is longer than the 512-character header limit.
    String jwk = attackerKey.toPublicJWK().toJSONString();
    String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\",\"jwk\":" + jwk + "}";

    assertAccessRefused(
        rsaEngine(),
        TokenForge.rs256(header, accessPayload(now, ""), attackerKey),
        RejectionReason.TOO_LARGE);
  }

  @Test
  void jkuHeaderIsRefusedOnAnRsaKeyEvenWhenSignedWithTheRealKey() {
    String header =
        "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\","
            + "\"jku\":\"https://attacker.example/jwks.json\"}";

    assertAccessRefused(
        rsaEngine(),
        TokenForge.rs256(header, accessPayload(now, ""), serverKey),
        RejectionReason.FORBIDDEN_HEADER);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"crit\":[\"exp\"],\"exp\":1",
        "\"crit\":[\"b64\"],\"b64\":false",
        "\"crit\":[\"x-unknown\"],\"x-unknown\":true",
        "\"crit\":[]"
      })
  void critHeaderIsRefusedEvenWithTheRealSecret(String members) {
    String header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"," + members + "}";

    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.FORBIDDEN_HEADER);
  }

  @Test
  void duplicateKeysInTheHeaderAreRefused() {
    String header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"alg\":\"none\"}";

    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.MALFORMED);
  }

  // ---- token types (RFC 8725 §3.11, §3.12)

  @ParameterizedTest(name = "header: {0}")
  @ValueSource(
      strings = {
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"alg\":\"HS256\"}",
        "{\"alg\":\"HS256\",\"typ\":\"rt+jwt\"}",
        "{\"alg\":\"HS256\",\"typ\":\"AT+JWT\"}"
      })
  void accessTokenWithAnotherTypIsRefusedEvenWithTheRealSecret(String header) {
    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.WRONG_TOKEN_TYPE);
  }

  @Test
  void accessTokenPresentedAsRefreshTokenIsRefusedWithASharedSecret() {
    JwtSession engine = sharedSecretEngine();
    String accessToken = login(engine).get("app_session");

    Session session = resolve(engine, "app_refresh=" + accessToken);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(reauthCalls).hasValue(0);
    assertThat(listener.events()).containsExactly("rejected:REFRESH:WRONG_TOKEN_TYPE");
    assertThat(sink.clears("app_refresh")).isTrue();
  }

  @Test
  void refreshTokenPresentedAsAccessTokenIsRefusedWithASharedSecret() {
    JwtSession engine = sharedSecretEngine();
    String refreshToken = login(engine).get("app_refresh");

    assertAccessRefused(engine, refreshToken, RejectionReason.WRONG_TOKEN_TYPE);
  }

  @Test
  void swappedCookiesWithASharedSecretAuthenticateNeitherWay() {
    JwtSession engine = sharedSecretEngine();
    Map<String, String> jar = login(engine);

    Session session =
        resolve(
            engine,
            "app_session=" + jar.get("app_refresh") + "; app_refresh=" + jar.get("app_session"));

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(reauthCalls).hasValue(0);
    assertThat(listener.events())
        .containsExactly("rejected:ACCESS:WRONG_TOKEN_TYPE", "rejected:REFRESH:WRONG_TOKEN_TYPE");
  }

  // ---- time claims (RFC 7519 §4.1.4, §4.1.5, §4.1.6)

  @Test
  void expiredOwnTokenIsRefused() {
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");
    clock.advance(Duration.ofSeconds(60).plus(JwtSession.DEFAULT_LEEWAY));

    assertAccessRefused(engine, token, RejectionReason.EXPIRED);
  }

  @Test
  void notBeforeInTheFutureIsRefused() {
    String token =
        hs256(
            ACCESS_HEADER,
            payload("\"iat\":" + now + ",\"nbf\":" + (now + 30) + ",\"exp\":" + (now + 60)),
            ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.NOT_YET_VALID);
  }

  @Test
  void issuedAtInTheFutureIsRefused() {
    String token =
        hs256(
            ACCESS_HEADER,
            payload("\"iat\":" + (now + 30) + ",\"exp\":" + (now + 90)),
            ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.ISSUED_IN_FUTURE);
  }

  @ParameterizedTest(name = "exp: {0}")
  @ValueSource(
      strings = {
        "\"1767225660\"",
        "1767225660.5",
        "1.76722566E9",
        "-1",
        "0",
        "253402300800",
        "99999999999999999999999",
        "true",
        "null",
        "[1767225660]",
        "{\"$date\":1767225660}"
      })
  void expThatIsNotASaneIntegerIsRefusedNotThrown(String exp) {
    String token =
        hs256(ACCESS_HEADER, payload("\"sub\":\"mallory\",\"exp\":" + exp), ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void expBeyondTheRangeOfADoubleIsRefusedAsMalformedJson() {
    String token =
        hs256(ACCESS_HEADER, payload("\"sub\":\"mallory\",\"exp\":1e400"), ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.MALFORMED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\"nbf\":\"0\"", "\"nbf\":-5", "\"iat\":1.5", "\"iat\":\"now\""})
  void nbfOrIatThatIsNotASaneIntegerIsRefused(String member) {
    String token =
        hs256(ACCESS_HEADER, payload("\"exp\":" + (now + 60) + "," + member), ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void missingExpIsRefused() {
    String token =
        hs256(ACCESS_HEADER, payload("\"sub\":\"mallory\",\"iat\":" + now), ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.INVALID_CLAIMS);
  }

  // ---- JSON (RFC 8725 §3.4 parsing, RFC 7159 §4 duplicate names)

  @Test
  void duplicateKeysInThePayloadAreRefusedEvenWithTheRealSecret() {
    // Parsers disagree on which duplicate wins; the first "sub" is what a reviewer sees.
    String token = hs256(ACCESS_HEADER, accessPayload(now, "\"sub\":\"admin\""), ACCESS_SECRET);

    assertAccessRefused(hmacEngine(), token, RejectionReason.MALFORMED);
  }

  @Test
  void payloadThatIsNotAJsonObjectIsRefused() {
    // (Nimbus reads "[]" as an empty object; that is refused too, for its missing exp.)
    String valid = accessPayload(now, "");
    for (String json :
        new String[] {
          "\"text\"",
          "1",
          "{",
          valid.replace("}", ",}"),
          valid.replace("\"sub\"", "'sub'"),
          valid.replace("\"sub\"", "sub"),
          valid + "x",
          valid + ";",
          valid + valid,
          ""
        }) {
      listener.clear();
      String token =
          json.isEmpty()
              ? TokenForge.b64(ACCESS_HEADER) + ".." + "x"
              : hs256(ACCESS_HEADER, json, ACCESS_SECRET);
      assertAccessRefused(hmacEngine(), token, RejectionReason.MALFORMED);
    }
  }

  @Test
  void tenThousandDeepNestedJsonIsRefusedUnreadBySize() {
    String token = hs256(ACCESS_HEADER, TokenForge.nestedPayload(now, 10_000), ACCESS_SECRET);

    Session session = resolve(hmacEngine(), "app_session=" + token);

    assertThat(session.isAuthenticated()).isFalse();
    // 27 000 characters: the Cookie header is over its 16 KiB limit and is not even scanned.
    assertThat(listener.events()).containsExactly("rejected:ACCESS:TOO_LARGE");
  }

  @Test
  void deeplyNestedJsonThatFitsTheSizeLimitIsRefusedByTheParserDepthLimit() {
    // 1400 levels fit in the 4096-character limit; signed with the real secret, so the parser runs.
    String token = hs256(ACCESS_HEADER, TokenForge.nestedPayload(now, 1400), ACCESS_SECRET);
    assertThat(token.length()).isLessThan(4096);

    assertAccessRefused(hmacEngine(), token, RejectionReason.MALFORMED);
  }

  @Test
  void oneMegabyteTokenIsRefusedUnread() {
    String token =
        hs256(
            ACCESS_HEADER,
            accessPayload(now, "\"pad\":\"" + "A".repeat(1 << 20) + "\""),
            ACCESS_SECRET);

    Session session = resolve(hmacEngine(), "app_session=" + token);

    assertThat(session.isAuthenticated()).isFalse();
    // The Cookie header itself is over the 16 KiB limit: ignored without being scanned.
    assertThat(listener.events()).containsExactly("rejected:ACCESS:TOO_LARGE");
  }

  @Test
  void tokenJustOverTheTokenLimitIsRefusedBeforeAnyDecoding() {
    String token =
        hs256(
            ACCESS_HEADER,
            accessPayload(now, "\"pad\":\"" + "A".repeat(3100) + "\""),
            ACCESS_SECRET);
    assertThat(token.length()).isGreaterThan(4096);

    assertAccessRefused(hmacEngine(), token, RejectionReason.TOO_LARGE);
  }

  @Test
  void oversizedHeaderIsRefusedUndecoded() {
    String header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"x\":\"" + "A".repeat(600) + "\"}";

    assertAccessRefused(
        hmacEngine(),
        hs256(header, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.TOO_LARGE);
  }

  // ---- the cookie value

  @ParameterizedTest(name = "inserted: U+{0}")
  @ValueSource(ints = {0x00, 0x01, 0x09, 0x0b, 0x7f, 0xe9, 0x2028, 0xfeff, 0x1f600})
  void nonAsciiAndControlCharactersInTheTokenAreRefused(int codePoint) {
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");
    String inserted = token.substring(0, 10) + Character.toString(codePoint) + token.substring(10);

    assertAccessRefused(engine, inserted, RejectionReason.MALFORMED);
  }

  @Test
  void lineBreakInTheCookieHeaderDoesNotSmuggleAToken() {
    JwtSession engine = hmacEngine();
    String token = login(engine).get("app_session");

    assertAccessRefused(engine, token + "\r\nX-Injected: 1", RejectionReason.MALFORMED);
  }

  @Test
  void duplicateCookieNamesWithDifferentValuesAreRefusedEvenWhenOneIsValid() {
    JwtSession engine = hmacEngine();
    String mine = login(engine).get("app_session");
    String planted = hs256(ACCESS_HEADER, accessPayload(now, ""), ACCESS_SECRET);

    Session session = resolve(engine, "app_session=" + planted + "; app_session=" + mine);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:DUPLICATE_COOKIE");
    assertThat(sink.clears("app_session")).isTrue();
  }

  // ---- issue 16: every supported algorithm, and encrypted tokens

  JwtSession pinnedEngine(String alg) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .keys(Keys.of(TestKeys.key(alg, "k1"))))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  @ParameterizedTest
  @FieldSource("dev.jwtsession.fixtures.TestKeys#ALGORITHMS")
  void embeddedJwkHeaderIsRefusedForEveryAlgorithmEvenSignedWithTheRealKey(String alg) {
    JWK key = TestKeys.key(alg, "k1");
    String header =
        "{\"alg\":\""
            + alg
            + "\",\"typ\":\"at+jwt\",\"kid\":\"k1\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}";

    assertAccessRefused(
        pinnedEngine(alg),
        TestKeys.sign(alg, key, header, accessPayload(now, "")),
        RejectionReason.FORBIDDEN_HEADER);
  }

  @ParameterizedTest
  @FieldSource("dev.jwtsession.fixtures.TestKeys#ALGORITHMS")
  void signatureOfAnotherKeyOfTheSameAlgorithmAndKidIsRefused(String alg) {
    String forged =
        TestKeys.sign(
            alg,
            TestKeys.key(alg, "attacker"),
            TestKeys.accessHeader(alg, "k1"),
            accessPayload(now, ""));

    assertAccessRefused(pinnedEngine(alg), forged, RejectionReason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @FieldSource("dev.jwtsession.fixtures.TestKeys#ALGORITHMS")
  void ownTokenOfEveryAlgorithmWithItsSignatureStrippedIsRefused(String alg) {
    JwtSession engine = pinnedEngine(alg);
    String token = login(engine).get("app_session");

    assertAccessRefused(
        engine, token.substring(0, token.lastIndexOf('.') + 1), RejectionReason.MALFORMED);
  }

  JwtSession encryptedEngine() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .secret(ACCESS_SECRET)
                    .encryption(EncryptionKeys.direct("e1", new byte[32])))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  @Test
  void compressedJweIsRefusedFromItsHeaderWithoutDecryptingOrInflating() {
    String genuine = login(encryptedEngine()).get("app_session");
    String zip =
        TokenForge.b64(
            "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"DEF\",\"kid\":\"e1\",\"typ\":\"at+jwt\"}");

    assertAccessRefused(
        encryptedEngine(),
        zip + genuine.substring(genuine.indexOf('.')),
        RejectionReason.FORBIDDEN_HEADER);
  }

  @Test
  void jweWithAnAlgNoneHeaderIsRefused() {
    String genuine = login(encryptedEngine()).get("app_session");
    String none =
        TokenForge.b64("{\"alg\":\"none\",\"enc\":\"A256GCM\",\"kid\":\"e1\",\"typ\":\"at+jwt\"}");

    assertAccessRefused(
        encryptedEngine(),
        none + genuine.substring(genuine.indexOf('.')),
        RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void signedTokenWithTheRealSecretIsRefusedWhereTokensAreEncrypted() {
    assertAccessRefused(
        encryptedEngine(),
        hs256(ACCESS_HEADER, accessPayload(now, ""), ACCESS_SECRET),
        RejectionReason.MALFORMED);
  }

  @Test
  void encryptedTokenIsRefusedWhereTokensAreSigned() {
    String jwe = login(encryptedEngine()).get("app_session");

    assertAccessRefused(hmacEngine(), jwe, RejectionReason.MALFORMED);
  }
}
