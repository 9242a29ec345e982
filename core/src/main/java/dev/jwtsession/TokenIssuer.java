package dev.jwtsession;

import dev.jwtsession.internal.TokenCodec;
import dev.jwtsession.internal.TokenCodec.Issued;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Issues tokens: adds the claims jwt-session manages ({@code iat}, {@code exp}, {@code sid}, {@code
 * rot}, {@code aex}, and for refresh tokens {@code jti}; {@code iss}/{@code aud} when configured)
 * to a user payload, caps lifetimes at the login's absolute expiry, signs, and refuses cookies
 * browsers would drop. Used by login and by renewal alike.
 */
final class TokenIssuer {

  private final TokenSettings access;
  private final TokenSettings refresh;
  private final TokenCodec accessCodec;
  private final TokenCodec refreshCodec;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final Set<String> managedClaims;
  private final SecureRandom random = new SecureRandom();

  TokenIssuer(
      TokenSettings access,
      TokenSettings refresh,
      TokenCodec accessCodec,
      TokenCodec refreshCodec,
      @Nullable String issuer,
      @Nullable String audience,
      Set<String> managedClaims) {
    this.access = access;
    this.refresh = refresh;
    this.accessCodec = accessCodec;
    this.refreshCodec = refreshCodec;
    this.issuer = issuer;
    this.audience = audience;
    this.managedClaims = managedClaims;
  }

  /** Signs an access token for {@code payload} in {@code family}. */
  Issued access(
      Map<String, Object> payload,
      String family,
      long refreshCount,
      long now,
      long absoluteExpiry) {
    return issue(access, accessCodec, payload, family, refreshCount, null, now, absoluteExpiry);
  }

  /** Signs a refresh token with id {@code jti} for {@code payload} in {@code family}. */
  Issued refresh(
      Map<String, Object> payload,
      String family,
      long refreshCount,
      String jti,
      long now,
      long absoluteExpiry) {
    return issue(refresh, refreshCodec, payload, family, refreshCount, jti, now, absoluteExpiry);
  }

  /**
   * The expiry (epoch ms) of a refresh token issued at {@code now}, as {@link #refresh} sets it.
   */
  long refreshExpiryMillis(long now, long absoluteExpiry) {
    return expirySeconds(refresh, now, absoluteExpiry) * 1000;
  }

  private static long expirySeconds(TokenSettings settings, long now, long absoluteExpiry) {
    long expiry = now / 1000 + settings.maxAge().toSeconds();
    if (absoluteExpiry != Long.MIN_VALUE) {
      expiry = Math.min(expiry, absoluteExpiry / 1000);
    }
    return expiry;
  }

  private Issued issue(
      TokenSettings settings,
      TokenCodec codec,
      Map<String, Object> payload,
      String family,
      long refreshCount,
      @Nullable String jti,
      long now,
      long absoluteExpiry) {
    long issuedAt = now / 1000;
    long expiry = expirySeconds(settings, now, absoluteExpiry);
    Map<String, Object> claims = new LinkedHashMap<>(payload);
    if (issuer != null) {
      claims.put("iss", issuer);
    }
    if (audience != null) {
      claims.put("aud", audience);
    }
    claims.put("iat", issuedAt);
    claims.put("exp", expiry);
    claims.put("sid", family);
    claims.put("rot", refreshCount);
    if (jti != null) {
      claims.put("jti", jti);
    }
    if (absoluteExpiry != Long.MIN_VALUE) {
      // On access tokens too: exp is capped at aex, but exp is checked with the leeway and aex
      // without, so only aex keeps an access token from outliving the login by the leeway.
      claims.put("aex", absoluteExpiry / 1000);
    }
    Issued issued = codec.issue(claims);
    int cookieBytes = settings.cookieName().length() + 1 + issued.token().length();
    if (cookieBytes > TokenSettings.MAX_COOKIE_BYTES) {
      throw new IllegalArgumentException(
          "the "
              + (codec == accessCodec ? "access" : "refresh")
              + " cookie would be "
              + cookieBytes
              + " bytes, over the "
              + TokenSettings.MAX_COOKIE_BYTES
              + " bytes browsers keep; shrink the payload (keep ids and roles, load the rest per request)");
    }
    return issued;
  }

  /**
   * Checks that payloads set no claim jwt-session manages and hold only JSON values.
   *
   * @throws IllegalArgumentException naming the claim and what to do
   */
  void requireUserPayloads(Payloads payloads) {
    requireUserPayload("access", payloads.access());
    if (payloads.refresh() != null) {
      requireUserPayload("refresh", payloads.refresh());
    }
  }

  private void requireUserPayload(String which, Map<String, Object> payload) {
    for (Map.Entry<String, Object> claim : payload.entrySet()) {
      if (managedClaims.contains(claim.getKey())) {
        throw new IllegalArgumentException(
            "the "
                + which
                + " payload sets '"
                + claim.getKey()
                + "', which jwt-session manages; remove it (lifetimes come from maxAge, ids are "
                + "generated). To re-issue claims you read from a token, use Claims.userClaims()");
      }
      requireJson(which, claim.getKey(), claim.getValue());
    }
  }

  private static void requireJson(String which, String name, Object value) {
    if (value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return;
    }
    if ((value instanceof Double number && Double.isFinite(number))
        || (value instanceof Float small && Float.isFinite(small))) {
      return;
    }
    if (value instanceof Collection<?> list) {
      for (Object item : list) {
        requireJson(which, name, item);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String)) {
          throw new IllegalArgumentException(
              "the "
                  + which
                  + " payload claim '"
                  + name
                  + "' holds a map with a non-string key; JSON object keys are strings");
        }
        requireJson(which, name, entry.getValue());
      }
      return;
    }
    throw new IllegalArgumentException(
        "the "
            + which
            + " payload claim '"
            + name
            + "' holds a "
            + (value == null ? "null" : value.getClass().getName())
            + "; use String, Long, Integer, "
            + "finite Double, Boolean, List or Map");
  }

  /** A new unguessable id (128 random bits, base64url): family ids and jtis. */
  String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
