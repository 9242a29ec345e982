package dev.jwtsession.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one realistic token every benchmark and the load server use: a compact HS256 JWS of about 300
 * characters (309) carrying nine claims, as a web app's access cookie would.
 *
 * <p>Claims: {@code sub}, {@code role}, {@code name}, {@code email}, {@code tenant}, {@code sid},
 * {@code typ} (the token-type marker), {@code iat} and {@code exp}; {@code exp} lies in 2100 so the
 * token stays valid for as long as anyone runs these benchmarks. The token is deterministic (fixed
 * secret, fixed claims, HMAC is deterministic), so every run measures the same bytes.
 */
public final class TokenFixture {

  /**
   * The HMAC-SHA256 secret: 32 ASCII bytes (256 bits), the minimum RFC 7518 §3.2 allows for HS256.
   */
  public static final byte[] SECRET =
      "bench-secret-0123456789abcdefXYZ".getBytes(StandardCharsets.US_ASCII);

  /**
   * The refresh-token secret of the load server's naive filter: a second 32-byte key, so an access
   * token is never accepted as a refresh token.
   */
  public static final byte[] REFRESH_SECRET =
      "bench-refresh-0123456789abcdefXY".getBytes(StandardCharsets.US_ASCII);

  /** Issued-at of the fixture token (2024-06-01T00:00:00Z). */
  public static final Instant ISSUED_AT = Instant.ofEpochSecond(1_717_200_000L);

  /** Expiry of the fixture token (2100-01-01T00:00:00Z): far in the future. */
  public static final Instant EXPIRES_AT = Instant.ofEpochSecond(4_102_444_800L);

  /** Name of the token-type marker claim and its value for an access token. */
  public static final String TYPE_CLAIM = "typ";

  public static final String ACCESS_TYPE = "access";

  public static final String REFRESH_TYPE = "refresh";

  /** The compact serialisation of the fixture token. */
  public static final String TOKEN = sign(userClaims(), ISSUED_AT, EXPIRES_AT);

  private TokenFixture() {}

  /**
   * The seven user claims of the fixture, in a stable order, without {@code iat} and {@code exp}:
   * what an application would pass to {@code login}.
   */
  public static Map<String, Object> userClaims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "u-7f3a9c21");
    claims.put("role", "editor");
    claims.put("name", "Ada Lovelace");
    claims.put("email", "ada@example.com");
    claims.put("tenant", "acme-eu");
    claims.put("sid", "s-4b1d9e2f");
    claims.put(TYPE_CLAIM, ACCESS_TYPE);
    return claims;
  }

  /**
   * The user payload our engine signs for the fixture user: the five application claims of {@link
   * #userClaims()}. The engine adds {@code iat}, {@code exp}, {@code sid} and {@code rot} itself
   * (nine claims in all) and marks the token type in the header, so {@code sid} and {@code typ} are
   * not the application's to set.
   */
  public static Map<String, Object> engineAccessPayload() {
    Map<String, Object> claims = userClaims();
    claims.remove("sid");
    claims.remove(TYPE_CLAIM);
    return claims;
  }

  /**
   * The claims of a refresh token for the fixture user: subject, family id, type marker, token id.
   */
  public static Map<String, Object> refreshClaims(String jti) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "u-7f3a9c21");
    claims.put("sid", "s-4b1d9e2f");
    claims.put(TYPE_CLAIM, REFRESH_TYPE);
    claims.put("jti", jti);
    return claims;
  }

  /**
   * Signs {@code claims} plus {@code iat} and {@code exp} with {@link #SECRET} (HS256, {@code typ:
   * JWT}).
   */
  public static String sign(Map<String, Object> claims, Instant issuedAt, Instant expiresAt) {
    return sign(SECRET, claims, issuedAt, expiresAt);
  }

  /**
   * Signs {@code claims} plus {@code iat} and {@code exp} with {@code secret} (HS256, {@code typ:
   * JWT}).
   */
  public static String sign(
      byte[] secret, Map<String, Object> claims, Instant issuedAt, Instant expiresAt) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    claims.forEach(builder::claim);
    builder.issueTime(Date.from(issuedAt)).expirationTime(Date.from(expiresAt));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
            builder.build());
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the benchmark fixture token", e);
    }
    return jwt.serialize();
  }
}
