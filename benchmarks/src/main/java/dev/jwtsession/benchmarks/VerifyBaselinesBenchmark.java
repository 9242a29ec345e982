package dev.jwtsession.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What verifying the {@linkplain TokenFixture fixture token} costs without our engine: the JWT
 * libraries a Java application would otherwise use, a hand-written floor, and one Nimbus
 * sign+verify pair (the unit of the login and re-authentication targets).
 *
 * <p>Every verifying method gets a new {@code String} instance of the token per invocation, as a
 * server parsing a {@code Cookie} header would hand over, so no identity or hash cache can help.
 * Every method returns what an application would use next (the claims), so nothing is dead code.
 * Each one pins HS256 and checks {@code exp}, as the engine must.
 *
 * <p>Run (about 2 minutes on 2 cores):
 *
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar VerifyBaselinesBenchmark -prof gc
 * }</pre>
 *
 * <p>Quick look while developing: append {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}. Read {@code
 * gc.alloc.rate.norm} for bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
@SuppressWarnings("JavaUtilDate") // the baselines' own APIs (Nimbus, java-jwt, jjwt) speak Date
public class VerifyBaselinesBenchmark {

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private char[] tokenChars;
  private JWSHeader nimbusHeader;
  private MACSigner nimbusSigner;
  private MACVerifier nimbusVerifier;
  private Map<String, Object> userClaims;
  private JWTVerifier javaJwtVerifier;
  private JwtParser jjwtParser;

  /** The header segment we sign with; the floor pins the algorithm by comparing it verbatim. */
  private String headerSegment;

  /** A {@code Mac} reused by one thread, as a real verifier would keep one per thread. */
  @State(Scope.Thread)
  public static class ThreadMac {
    Mac mac;
    final byte[] expected = new byte[32];
    final byte[] actual = new byte[32];

    @Setup
    public void setUp() throws GeneralSecurityException {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(TokenFixture.SECRET, "HmacSHA256"));
    }
  }

  @Setup
  public void setUp() throws JOSEException {
    String token = TokenFixture.TOKEN;
    tokenChars = token.toCharArray();
    headerSegment = token.substring(0, token.indexOf('.'));
    nimbusHeader = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
    nimbusSigner = new MACSigner(TokenFixture.SECRET);
    nimbusVerifier = new MACVerifier(TokenFixture.SECRET);
    userClaims = TokenFixture.userClaims();
    javaJwtVerifier = JWT.require(Algorithm.HMAC256(TokenFixture.SECRET)).build();
    jjwtParser = Jwts.parser().verifyWith(Keys.hmacShaKeyFor(TokenFixture.SECRET)).build();
  }

  /** The token as a server hands it over: a new {@code String} instance each time. */
  String freshToken() {
    return new String(tokenChars);
  }

  /**
   * Nimbus: {@code SignedJWT.parse}, a pre-built {@code MACVerifier}, the claims set, {@code exp}.
   */
  @Benchmark
  public JWTClaimsSet nimbus() throws ParseException, JOSEException {
    return nimbusVerify(freshToken());
  }

  /** auth0 java-jwt 4.x: a pre-built {@code JWTVerifier} (it checks {@code exp} itself). */
  @Benchmark
  public DecodedJWT javaJwt() {
    try {
      return javaJwtVerifier.verify(freshToken());
    } catch (JWTVerificationException e) {
      return null;
    }
  }

  /** jjwt 0.13: a pre-built {@code JwtParser} (it checks {@code exp} itself). */
  @Benchmark
  public Claims jjwt() {
    try {
      return jjwtParser.parseSignedClaims(freshToken()).getPayload();
    } catch (JwtException e) {
      return null;
    }
  }

  /**
   * The floor: split, compare the header segment with the pinned one, HMAC-SHA256 with a reused
   * {@code Mac}, Base64url-decode the signature and the payload, constant-time compare. No JSON, so
   * no {@code exp} check: no verifier can be faster than this and still verify.
   */
  @Benchmark
  public byte[] floor(ThreadMac thread) {
    return floorVerify(freshToken(), thread);
  }

  /**
   * The floor plus parsing the claims JSON with Nimbus's bundled parser and checking {@code exp}.
   */
  @Benchmark
  public Map<String, Object> floorJson(ThreadMac thread) throws ParseException {
    byte[] payload = floorVerify(freshToken(), thread);
    if (payload == null) {
      return null;
    }
    Map<String, Object> claims = JSONObjectUtils.parse(new String(payload, StandardCharsets.UTF_8));
    Object exp = claims.get("exp");
    if (!(exp instanceof Number seconds)
        || seconds.longValue() * 1000 <= System.currentTimeMillis()) {
      return null;
    }
    return claims;
  }

  /** Nimbus signing one token like the fixture with the current {@code iat}/{@code exp}. */
  @Benchmark
  public String nimbusSign() throws JOSEException {
    return nimbusSign(System.currentTimeMillis());
  }

  /**
   * One Nimbus sign followed by one Nimbus verify of the result: the unit in which the login and
   * re-authentication targets are expressed (each at most 2.5 of these).
   */
  @Benchmark
  public JWTClaimsSet signAndVerifyPair() throws JOSEException, ParseException {
    return nimbusVerify(nimbusSign(System.currentTimeMillis()));
  }

  String nimbusSign(long nowMillis) throws JOSEException {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    userClaims.forEach(claims::claim);
    claims.issueTime(new Date(nowMillis / 1000 * 1000));
    claims.expirationTime(new Date((nowMillis / 1000 + 900) * 1000));
    SignedJWT jwt = new SignedJWT(nimbusHeader, claims.build());
    jwt.sign(nimbusSigner);
    return jwt.serialize();
  }

  JWTClaimsSet nimbusVerify(String token) throws ParseException, JOSEException {
    SignedJWT jwt = SignedJWT.parse(token);
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(nimbusVerifier)) {
      return null;
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.getTime() <= System.currentTimeMillis()) {
      return null;
    }
    return claims;
  }

  /** Returns the decoded payload when the signature is valid, else {@code null}. */
  byte[] floorVerify(String token, ThreadMac thread) {
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0
        || token.indexOf('.', dot2 + 1) >= 0
        || dot1 != headerSegment.length()
        || !token.regionMatches(0, headerSegment, 0, dot1)) {
      return null;
    }
    // Any char outside Latin-1 becomes '?', which is not Base64url, so decoding below rejects it.
    byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
    try {
      if (BASE64URL.decode(Arrays.copyOfRange(ascii, dot2 + 1, ascii.length), thread.actual)
          != 32) {
        return null;
      }
      byte[] payload = BASE64URL.decode(Arrays.copyOfRange(ascii, dot1 + 1, dot2));
      Mac mac = thread.mac;
      mac.update(ascii, 0, dot2);
      mac.doFinal(thread.expected, 0);
      return MessageDigest.isEqual(thread.expected, thread.actual) ? payload : null;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return null;
    }
  }
}
