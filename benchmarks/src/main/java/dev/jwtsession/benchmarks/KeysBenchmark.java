package dev.jwtsession.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Keys;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.CookieSink;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What issue 16's keys cost per request, each against a baseline in the same run: a cache-miss
 * verify through the engine per algorithm against raw Nimbus ({@code SignedJWT.parse}, {@code
 * verify}, claims) with the same key; a JWE decrypt through the engine against Nimbus's {@code
 * DirectDecrypter}; and the three refused JWE headers ({@code zip}, PBES2 with {@code p2c}, {@code
 * epk}) against the genuine decrypt.
 *
 * <p>The engine runs with {@code accessCacheSize(0)}, so every call verifies in full. Run (about 6
 * minutes on 2 cores):
 *
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar KeysBenchmark -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
@SuppressWarnings("JavaUtilDate") // Nimbus's claims API speaks Date
public class KeysBenchmark {

  private static final CookieSink DISCARD =
      new CookieSink() {
        @Override
        public void preventCaching() {}

        @Override
        public boolean isCommitted() {
          return false;
        }

        @Override
        public void add(String setCookieHeader) {}

        @Override
        public void replace(String cookieName, String setCookieHeader) {}
      };

  /** The access token's algorithm. */
  @Param({"HS256", "RS256", "PS256", "ES256", "EdDSA"})
  public String alg;

  private final MutableClock clock = MutableClock.atFixedStart();
  private JwtSession engine;
  private JWSVerifier nimbusVerifier;
  private char[] cookieHeader;
  private char[] token;

  private JwtSession jweEngine;
  private DirectDecrypter nimbusDecrypter;
  private char[] jweCookieHeader;
  private char[] jweToken;
  private char[] zipHeader;
  private char[] p2cHeader;
  private char[] epkHeader;

  @Setup
  public void setUp() throws Exception {
    JWK key = key(alg);
    engine = engine(Keys.of(key), null);
    String minted = login(engine);
    token = minted.toCharArray();
    cookieHeader = ("app_session=" + minted).toCharArray();
    nimbusVerifier = verifier(key);

    byte[] aesKey = new byte[32];
    java.util.Arrays.fill(aesKey, (byte) 7);
    jweEngine =
        engine(
            Keys.hmac("bench-access-secret-of-32-bytes-or-more"),
            EncryptionKeys.direct("e1", aesKey));
    String jwe = login(jweEngine);
    jweToken = jwe.toCharArray();
    jweCookieHeader = ("app_session=" + jwe).toCharArray();
    nimbusDecrypter = new DirectDecrypter(aesKey);
    String rest = jwe.substring(jwe.indexOf('.'));
    zipHeader =
        forged(
            "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"DEF\",\"kid\":\"e1\",\"typ\":\"at+jwt\"}",
            rest);
    p2cHeader =
        forged(
            "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":2147483647,"
                + "\"p2s\":\"c2FsdA\",\"kid\":\"e1\",\"typ\":\"at+jwt\"}",
            rest);
    epkHeader =
        forged(
            "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\","
                + "\"x\":\"gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0\","
                + "\"y\":\"SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps\"},\"kid\":\"e1\","
                + "\"typ\":\"at+jwt\"}",
            rest);
    // A benchmark that silently measured a rejection would be worthless.
    requireAuthenticated(engineVerify(), "signed " + alg);
    requireAuthenticated(engineJweDecrypt(), "JWE");
    nimbusVerify();
    nimbusJweDecrypt();
    for (Session refused : new Session[] {refusedZip(), refusedP2c(), refusedEpk()}) {
      if (refused.isAuthenticated()) {
        throw new IllegalStateException("a forged JWE header was accepted");
      }
    }
  }

  private static char[] forged(String headerJson, String rest) {
    return ("app_session="
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
            + rest)
        .toCharArray();
  }

  private JwtSession engine(Keys accessKeys, EncryptionKeys encryption) {
    return JwtSession.builder()
        .access(
            t -> {
              t.cookieName("app_session").maxAge(Duration.ofMinutes(15)).keys(accessKeys);
              if (encryption != null) {
                t.encryption(encryption);
              }
            })
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secret("bench-refresh-secret-of-32-bytes-or-more"))
        .accessCacheSize(0)
        .clock(clock)
        .build();
  }

  private static String login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.accessOnly(TokenFixture.engineAccessPayload()));
    return sink.value("app_session").orElseThrow();
  }

  static JWK key(String alg) throws JOSEException {
    com.nimbusds.jose.JWSAlgorithm algorithm = com.nimbusds.jose.JWSAlgorithm.parse(alg);
    return switch (alg) {
      case "HS256" -> new OctetSequenceKeyGenerator(256).algorithm(algorithm).keyID("k").generate();
      case "RS256", "PS256" -> new RSAKeyGenerator(2048).algorithm(algorithm).keyID("k").generate();
      case "ES256" -> new ECKeyGenerator(Curve.P_256).algorithm(algorithm).keyID("k").generate();
      default ->
          new OctetKeyPairGenerator(Curve.Ed25519).algorithm(algorithm).keyID("k").generate();
    };
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    if (key instanceof OctetSequenceKey oct) {
      return new MACVerifier(oct);
    }
    if (key instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa.toPublicJWK());
    }
    if (key instanceof ECKey ec) {
      return new ECDSAVerifier(ec.toPublicJWK());
    }
    return new Ed25519Verifier(((OctetKeyPair) key).toPublicJWK());
  }

  private static void requireAuthenticated(Session session, String what) {
    if (!session.isAuthenticated()) {
      throw new IllegalStateException("the engine refused the " + what + " token");
    }
  }

  /** Engine, cache off: shape, header, signature of {@link #alg}, claims. */
  @Benchmark
  public Session engineVerify() {
    return engine.resolve(new String(cookieHeader), DISCARD);
  }

  /** Raw Nimbus with the same key: parse, verify the signature, parse claims, check exp. */
  @Benchmark
  public JWTClaimsSet nimbusVerify() throws ParseException, JOSEException {
    SignedJWT jwt = SignedJWT.parse(new String(token));
    if (!jwt.verify(nimbusVerifier)) {
      throw new IllegalStateException("bad signature");
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    if (claims.getExpirationTime().before(new Date(clock.millis()))) {
      throw new IllegalStateException("expired");
    }
    return claims;
  }

  /** Engine, cache off: an encrypted access cookie (dir + A256GCM), decrypted and checked. */
  @Benchmark
  public Session engineJweDecrypt() {
    return jweEngine.resolve(new String(jweCookieHeader), DISCARD);
  }

  /** Raw Nimbus: parse the JWE, decrypt with DirectDecrypter, parse claims. */
  @Benchmark
  public Map<String, Object> nimbusJweDecrypt() throws ParseException, JOSEException {
    JWEObject jwe = JWEObject.parse(new String(jweToken));
    jwe.decrypt(nimbusDecrypter);
    return jwe.getPayload().toJSONObject();
  }

  /** A JWE with {@code zip: DEF}: refused from the header, nothing decrypted or inflated. */
  @Benchmark
  public Session refusedZip() {
    return jweEngine.resolve(new String(zipHeader), DISCARD);
  }

  /** PBES2 with {@code p2c: 2147483647}: refused from the header, no key derived. */
  @Benchmark
  public Session refusedP2c() {
    return jweEngine.resolve(new String(p2cHeader), DISCARD);
  }

  /** An {@code epk} header: refused from the header, no key agreement. */
  @Benchmark
  public Session refusedEpk() {
    return jweEngine.resolve(new String(epkHeader), DISCARD);
  }
}
