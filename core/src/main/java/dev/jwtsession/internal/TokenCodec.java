package dev.jwtsession.internal;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.Claims;
import dev.jwtsession.Keys;
import dev.jwtsession.RejectionReason;
import dev.jwtsession.TokenType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs and verifies the tokens of one type. The only place that talks to Nimbus, and the only
 * place where a Nimbus or JSON exception is caught and mapped to a {@link RejectionReason}.
 *
 * <p>Verification, cheapest checks first, each failing closed:
 *
 * <ol>
 *   <li>length ({@link #MAX_TOKEN_LENGTH}) and shape: only base64url characters, exactly two dots,
 *       three non-empty parts, a header of at most {@link #MAX_HEADER_LENGTH} characters; nothing
 *       is decoded before this passes;
 *   <li>header: our own tokens carry a header byte-identical to the one we sign with, recognised by
 *       comparison; any other header is parsed and must contain only {@code alg}, {@code typ} and
 *       {@code kid}, with {@code typ} this token type's and {@code alg} exactly the algorithm
 *       pinned to the key that {@code kid} selects (RFC 8725 §3.1, §3.11) — so {@code none},
 *       algorithm confusion, {@code crit}, {@code jwk}/{@code jku}/{@code x5u}/{@code x5c} are all
 *       refused;
 *   <li>signature, canonically encoded (no stray bits in its last character, so a token has one
 *       spelling), with the pre-built verifier of that key (HMAC compared in constant time);
 *   <li>payload JSON (only now, so an unauthenticated client cannot make us parse large JSON) and
 *       the shape of its claims: {@code exp} required, every time claim an integer in a sane range.
 * </ol>
 *
 * Time bounds are checked separately ({@link #checkTime}) so cached verifications are re-checked on
 * every request.
 *
 * <p>With encryption on, tokens are compact JWE ({@code alg: dir}, {@code enc: A256GCM}, no inner
 * signature) and verification is, each step failing closed before the next: length and shape (five
 * base64url parts, an empty encrypted-key part, a 96-bit IV and a 128-bit tag); a header of only
 * {@code alg}, {@code enc}, {@code kid}, {@code typ} (anything else, {@code zip} and {@code p2c}
 * included, is {@code FORBIDDEN_HEADER} without any decryption, inflation or key derivation);
 * {@code alg}/{@code enc} exactly {@code dir}/{@code A256GCM}; {@code typ}; {@code kid} a
 * configured key; AES-GCM decryption (a failed tag is {@code BAD_SIGNATURE}); then the claims as
 * above.
 */
public final class TokenCodec {

  /** Tokens longer than this are refused unread: no browser keeps a larger cookie. */
  public static final int MAX_TOKEN_LENGTH = 4096;

  /** Headers longer than this are refused undecoded; ours are about 40 characters. */
  public static final int MAX_HEADER_LENGTH = 512;

  /** 9999-12-31T23:59:59Z: later time claims are absurd and refused. */
  private static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

  private static final Set<String> ALLOWED_HEADER_PARAMETERS = Set.of("alg", "typ", "kid");

  private static final Set<String> ALLOWED_JWE_HEADER_PARAMETERS =
      Set.of("alg", "enc", "typ", "kid");

  /** Base64url length of a 96-bit GCM IV and of a 128-bit GCM tag. */
  private static final int IV_CHARS = 16;

  private static final int TAG_CHARS = 22;

  /** The keys that encrypt one token type: the encrypting {@code kid} and every key by kid. */
  public record Encryption(String encryptingKid, Map<String, byte[]> keysByKid) {}

  private final TokenType type;
  private final String typ;
  private final byte[] quotedTyp;
  private final SigningKey signing;
  private final VerifyingKey primary;
  private final Map<String, VerifyingKey> byKid;
  private final long leewayMillis;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final Function<Map<String, Object>, Claims> claimsFactory;
  private final List<JWK> publicKeys;
  private final @Nullable Jwe jwe;
  private final @Nullable HookTokens hookTokens;

  /**
   * Acceptance of tokens shaped as the SvelteKit hook {@code svelte-kit-jwt-session} mints them
   * (see {@link #acceptingHookTokens}).
   */
  private record HookTokens(long maxAgeSeconds, long absoluteLifetimeSeconds) {}

  private TokenCodec(
      TokenType type,
      String typ,
      SigningKey signing,
      VerifyingKey primary,
      Map<String, VerifyingKey> byKid,
      long leewayMillis,
      @Nullable String issuer,
      @Nullable String audience,
      Function<Map<String, Object>, Claims> claimsFactory,
      List<JWK> publicKeys,
      @Nullable Jwe jwe,
      @Nullable HookTokens hookTokens) {
    this.type = type;
    this.typ = typ;
    this.quotedTyp = ('"' + typ + '"').getBytes(StandardCharsets.US_ASCII);
    this.signing = signing;
    this.primary = primary;
    this.byKid = byKid;
    this.leewayMillis = leewayMillis;
    this.issuer = issuer;
    this.audience = audience;
    this.claimsFactory = claimsFactory;
    this.publicKeys = publicKeys;
    this.jwe = jwe;
    this.hookTokens = hookTokens;
  }

  /**
   * Builds the codec of one token type, recording every key problem in {@code problems} (then the
   * returned codec must not be used).
   */
  public static @Nullable TokenCodec create(
      TokenType type,
      Keys keys,
      long leewayMillis,
      @Nullable String issuer,
      @Nullable String audience,
      Function<Map<String, Object>, Claims> claimsFactory,
      @Nullable Encryption encryption,
      String setting,
      Problems problems) {
    String typ = type == TokenType.ACCESS ? "at+jwt" : "rt+jwt";
    List<JWK> all = new ArrayList<>();
    all.add(keys.signingKey());
    all.addAll(keys.verificationKeys());
    Map<String, VerifyingKey> byKid = new HashMap<>();
    VerifyingKey primary = null;
    SigningKey signing = null;
    List<JWK> publicKeys = new ArrayList<>();
    for (JWK jwk : all) {
      try {
        JWSAlgorithm alg = algorithmOf(jwk);
        if (!(jwk instanceof OctetSequenceKey)) {
          publicKeys.add(publicJwk(jwk, alg));
        }
        VerifyingKey verifying = new VerifyingKey(alg, jwk.getKeyID(), verifierOf(jwk, alg));
        if (primary == null) {
          primary = verifying;
          signing = SigningKey.of(jwk, alg, typ);
        }
        if (jwk.getKeyID() != null) {
          byKid.put(jwk.getKeyID(), verifying);
        }
      } catch (JOSEException | IllegalArgumentException | LinkageError e) {
        problems.add(
            setting + ".keys",
            "key "
                + (jwk.getKeyID() == null ? "" : jwk.getKeyID() + " ")
                + "cannot be used: "
                + e.getMessage(),
            "Use an RSA key of 2048+ bits, an EC key on P-256/P-384/P-521, an Ed25519 key, "
                + "or a secret as long as the HMAC output (32+ bytes for HS256)");
      }
    }
    Jwe jwe = null;
    if (encryption != null) {
      try {
        jwe = Jwe.of(encryption, typ);
      } catch (JOSEException | IllegalArgumentException e) {
        problems.add(
            setting + ".encryption",
            "the key cannot be used for A256GCM",
            "Use 32 random bytes per key");
      }
    }
    if (signing == null || primary == null) {
      return null; // every key failed; the problems say why
    }
    return new TokenCodec(
        type,
        typ,
        signing,
        primary,
        Map.copyOf(byKid),
        leewayMillis,
        issuer,
        audience,
        claimsFactory,
        List.copyOf(publicKeys),
        jwe,
        null);
  }

  /**
   * This codec, also accepting tokens shaped as the SvelteKit hook {@code svelte-kit-jwt-session}
   * mints them (node {@code jsonwebtoken}): header {@code {"alg":"HS256","typ":"JWT"}} or without
   * {@code typ}, no {@code kid}, verified with the signing key, which must be pinned to HS256; no
   * managed claims required; without {@code exp} valid until {@code iat + maxAge}; a refresh token
   * without {@code aex} ends its login at {@code iat + absoluteLifetime}. Every other check stays.
   */
  public TokenCodec acceptingHookTokens(long maxAgeSeconds, long absoluteLifetimeSeconds) {
    return new TokenCodec(
        type,
        typ,
        signing,
        primary,
        byKid,
        leewayMillis,
        issuer,
        audience,
        claimsFactory,
        publicKeys,
        jwe,
        new HookTokens(maxAgeSeconds, absoluteLifetimeSeconds));
  }

  /**
   * The public JWKs of this type's RSA, EC and Ed25519 keys (signing and verification-only), each
   * with {@code kid}, {@code use: sig} and its pinned {@code alg}; never octet keys, never private
   * members.
   */
  public List<JWK> publicKeys() {
    return publicKeys;
  }

  /** Whether tokens of this type are encrypted (compact JWE). */
  public boolean encrypted() {
    return jwe != null;
  }

  /** A token just signed, with the verification of its own claims (as a parser will read them). */
  public record Issued(String token, Verification verification) {}

  /**
   * Signs {@code claims} (complete, managed ones included) into a compact JWS. The claims are read
   * back from the signed JSON, so the issuing request sees exactly the values later requests will.
   */
  public Issued issue(Map<String, Object> claims) {
    String json = JSONObjectUtils.toJSONString(claims);
    try {
      String token;
      if (jwe != null) {
        JWEObject object = new JWEObject(jwe.header, new Payload(json));
        object.encrypt(jwe.encrypter);
        token = object.serialize();
      } else {
        JWSObject jws = new JWSObject(signing.header, new Payload(json));
        jws.sign(signing.signer);
        token = jws.serialize();
      }
      Verification verification = claimsOf(JSONObjectUtils.parse(json), false);
      if (!verification.verified()) {
        throw new IllegalArgumentException(
            "the "
                + type.name().toLowerCase(java.util.Locale.ROOT)
                + " payload makes an invalid token: "
                + verification.rejection());
      }
      return new Issued(token, verification);
    } catch (JOSEException | java.text.ParseException e) {
      // Keys are validated at build time; a failure here is a broken JCA provider, not user input.
      throw new IllegalStateException("jwt-session could not sign a " + type + " token", e);
    }
  }

  /** Checks form, header, signature and claim shapes; never throws for any input. */
  public Verification verify(String token) {
    int length = token.length();
    if (length > MAX_TOKEN_LENGTH) {
      return Verification.rejected(RejectionReason.TOO_LARGE);
    }
    Jwe jwe = this.jwe;
    if (jwe != null) {
      return verifyJwe(token, jwe);
    }
    int firstDot = -1;
    int secondDot = -1;
    for (int i = 0; i < length; i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (firstDot < 0) {
          firstDot = i;
        } else if (secondDot < 0) {
          secondDot = i;
        } else {
          return Verification.rejected(RejectionReason.MALFORMED);
        }
      } else if (!isBase64Url(c)) {
        return Verification.rejected(RejectionReason.MALFORMED);
      }
    }
    if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == length - 1) {
      return Verification.rejected(RejectionReason.MALFORMED);
    }
    if (firstDot > MAX_HEADER_LENGTH) {
      return Verification.rejected(RejectionReason.TOO_LARGE);
    }
    try {
      VerifyingKey key;
      if (firstDot == signing.encodedHeader.length()
          && token.regionMatches(0, signing.encodedHeader, 0, firstDot)) {
        key = primary;
      } else {
        Object selected = selectKey(token.substring(0, firstDot));
        if (selected instanceof RejectionReason reason) {
          return Verification.rejected(reason);
        }
        key = (VerifyingKey) selected;
      }
      if (!isCanonicalTail(token.charAt(length - 1), (length - secondDot - 1) % 4)) {
        return Verification.rejected(RejectionReason.MALFORMED);
      }
      byte[] signature = Base64.getUrlDecoder().decode(token.substring(secondDot + 1));
      if (!key.verify(token, secondDot, signature)) {
        return Verification.rejected(RejectionReason.BAD_SIGNATURE);
      }
      String json =
          new String(
              Base64.getUrlDecoder().decode(token.substring(firstDot + 1, secondDot)),
              StandardCharsets.UTF_8);
      return claimsOf(JSONObjectUtils.parse(json), key.hookShaped);
    } catch (java.text.ParseException | RuntimeException e) {
      // Undecodable base64, invalid or ambiguous JSON (duplicate keys), nesting beyond the parser's
      // limit: nothing a client sends may escape as an exception.
      return Verification.rejected(RejectionReason.MALFORMED);
    }
  }

  private Verification verifyJwe(String token, Jwe jwe) {
    int length = token.length();
    int[] dots = new int[4];
    int count = 0;
    for (int i = 0; i < length; i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (count == 4) {
          return Verification.rejected(RejectionReason.MALFORMED);
        }
        dots[count++] = i;
      } else if (!isBase64Url(c)) {
        return Verification.rejected(RejectionReason.MALFORMED);
      }
    }
    if (count != 4
        || dots[0] == 0 // header
        || dots[1] != dots[0] + 1 // encrypted key: empty with alg dir
        || dots[2] - dots[1] - 1 != IV_CHARS
        || dots[3] == dots[2] + 1 // ciphertext
        || length - dots[3] - 1 != TAG_CHARS) {
      return Verification.rejected(RejectionReason.MALFORMED);
    }
    if (dots[0] > MAX_HEADER_LENGTH) {
      return Verification.rejected(RejectionReason.TOO_LARGE);
    }
    try {
      String encodedHeader = token.substring(0, dots[0]);
      SecretKeySpec key;
      if (encodedHeader.equals(jwe.encodedHeader)) {
        key = jwe.encryptingKey;
      } else {
        Object selected = jwe.selectKey(encodedHeader, typ);
        if (selected instanceof RejectionReason reason) {
          return Verification.rejected(reason);
        }
        key = (SecretKeySpec) selected;
      }
      if (!isCanonicalTail(token.charAt(dots[0] - 1), dots[0] % 4)
          || !isCanonicalTail(token.charAt(dots[2] - 1), IV_CHARS % 4)
          || !isCanonicalTail(token.charAt(dots[3] - 1), (dots[3] - dots[2] - 1) % 4)
          || !isCanonicalTail(token.charAt(length - 1), TAG_CHARS % 4)) {
        return Verification.rejected(RejectionReason.MALFORMED);
      }
      Base64.Decoder decoder = Base64.getUrlDecoder();
      byte[] iv = decoder.decode(token.substring(dots[1] + 1, dots[2]));
      byte[] cipherText = decoder.decode(token.substring(dots[2] + 1, dots[3]));
      byte[] tag = decoder.decode(token.substring(dots[3] + 1));
      byte[] sealed = java.util.Arrays.copyOf(cipherText, cipherText.length + tag.length);
      System.arraycopy(tag, 0, sealed, cipherText.length, tag.length);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(encodedHeader.getBytes(StandardCharsets.US_ASCII));
      byte[] plaintext;
      try {
        plaintext = cipher.doFinal(sealed);
      } catch (AEADBadTagException e) {
        return Verification.rejected(RejectionReason.BAD_SIGNATURE);
      }
      return claimsOf(JSONObjectUtils.parse(new String(plaintext, StandardCharsets.UTF_8)), false);
    } catch (java.text.ParseException | GeneralSecurityException | RuntimeException e) {
      return Verification.rejected(RejectionReason.MALFORMED);
    }
  }

  /**
   * Checks the time bounds of a verified token at {@code nowMillis}: {@code exp}, {@code nbf},
   * {@code iat} with the leeway, and the login's absolute expiry {@code aex} without it.
   *
   * @return {@code null} when valid, else the reason
   */
  public @Nullable RejectionReason checkTime(Verification verification, long nowMillis) {
    if (nowMillis >= verification.expMillis + leewayMillis) {
      return RejectionReason.EXPIRED;
    }
    if (verification.nbfMillis != Verification.NONE
        && nowMillis + leewayMillis < verification.nbfMillis) {
      return RejectionReason.NOT_YET_VALID;
    }
    if (verification.iatMillis != Verification.NONE
        && verification.iatMillis > nowMillis + leewayMillis) {
      return RejectionReason.ISSUED_IN_FUTURE;
    }
    if (verification.aexMillis != Verification.NONE && nowMillis >= verification.aexMillis) {
      return RejectionReason.ABSOLUTE_LIFETIME_EXCEEDED;
    }
    return null;
  }

  /** Parses a foreign header strictly; returns the key to verify with, or a rejection reason. */
  private Object selectKey(String encodedHeader) throws java.text.ParseException {
    byte[] headerBytes = Base64.getUrlDecoder().decode(encodedHeader);
    // A header without our typ value cannot pass the typ check below (we never escape it), so it is
    // refused before any JSON parsing: junk with a foreign header costs a base64 decode, no more.
    if (hookTokens == null && !contains(headerBytes, quotedTyp)) {
      return RejectionReason.WRONG_TOKEN_TYPE;
    }
    Map<String, Object> header =
        JSONObjectUtils.parse(new String(headerBytes, StandardCharsets.UTF_8));
    if (!(header.get("alg") instanceof String alg) || alg.equalsIgnoreCase("none")) {
      return RejectionReason.ALG_NOT_ALLOWED;
    }
    for (String name : header.keySet()) {
      if (!ALLOWED_HEADER_PARAMETERS.contains(name)) {
        return RejectionReason.FORBIDDEN_HEADER;
      }
    }
    Object kid = header.get("kid");
    if (!typ.equals(header.get("typ"))) {
      Object foreignTyp = header.get("typ");
      if (hookTokens != null && (foreignTyp == null || "JWT".equals(foreignTyp)) && kid == null) {
        // The hook's shape: HS256 only, with the signing key (the hook knows one secret, no kid).
        return "HS256".equals(alg) && primary.alg.equals(JWSAlgorithm.HS256)
            ? primary.asHookShaped()
            : RejectionReason.ALG_NOT_ALLOWED;
      }
      return RejectionReason.WRONG_TOKEN_TYPE;
    }
    VerifyingKey key;
    if (kid == null) {
      key = primary;
    } else if (kid instanceof String id) {
      key = byKid.get(id);
      if (key == null) {
        return RejectionReason.UNKNOWN_KEY;
      }
    } else {
      return RejectionReason.MALFORMED;
    }
    return key.alg.getName().equals(alg) ? key : RejectionReason.ALG_NOT_ALLOWED;
  }

  private Verification claimsOf(Map<String, Object> claims, boolean hookShaped) {
    long exp = seconds(claims.get("exp"));
    long nbf = optionalSeconds(claims, "nbf");
    long iat = optionalSeconds(claims, "iat");
    long aex = optionalSeconds(claims, "aex");
    HookTokens hook = hookShaped ? hookTokens : null;
    if (hook != null && iat > 0) {
      if (!claims.containsKey("exp")) {
        exp = iat + hook.maxAgeSeconds(); // never forever: the cookie's lifetime from iat
      }
      if (type == TokenType.REFRESH && aex == Verification.NONE) {
        aex = iat + hook.absoluteLifetimeSeconds(); // the login began at the latest at iat
      }
    }
    if (exp <= 0 || exp > MAX_EPOCH_SECONDS) {
      return Verification.rejected(RejectionReason.INVALID_CLAIMS);
    }
    if (nbf == 0 || iat == 0 || aex == 0) {
      return Verification.rejected(RejectionReason.INVALID_CLAIMS);
    }
    if (!optionalText(claims, "sid")
        || !optionalText(claims, "jti")
        || !optionalText(claims, "sub")
        || (claims.containsKey("rot") && !(claims.get("rot") instanceof Long rot && rot >= 0))) {
      return Verification.rejected(RejectionReason.INVALID_CLAIMS);
    }
    if (type == TokenType.REFRESH
        && hook == null
        && (!(claims.get("jti") instanceof String) || !(claims.get("sid") instanceof String))) {
      return Verification.rejected(RejectionReason.INVALID_CLAIMS);
    }
    if (issuer != null && !issuer.equals(claims.get("iss"))) {
      return Verification.rejected(RejectionReason.WRONG_ISSUER);
    }
    if (audience != null && !hasAudience(audience, claims.get("aud"))) {
      return Verification.rejected(RejectionReason.WRONG_AUDIENCE);
    }
    return new Verification(
        claimsFactory.apply(claims), null, exp * 1000, millis(nbf), millis(iat), millis(aex));
  }

  private static boolean hasAudience(String audience, @Nullable Object aud) {
    if (aud instanceof String single) {
      return audience.equals(single);
    }
    return aud instanceof List<?> many && many.contains(audience);
  }

  private static long millis(long seconds) {
    return seconds == Verification.NONE ? Verification.NONE : seconds * 1000;
  }

  /** An integer epoch second in (0, year 9999], else 0 (absent, string, float, negative, huge). */
  private static long seconds(@Nullable Object value) {
    return value instanceof Long seconds && seconds > 0 && seconds <= MAX_EPOCH_SECONDS
        ? seconds
        : 0;
  }

  private static long optionalSeconds(Map<String, Object> claims, String name) {
    return claims.containsKey(name) ? seconds(claims.get(name)) : Verification.NONE;
  }

  private static boolean optionalText(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    return (value == null && !claims.containsKey(name))
        || (value instanceof String text && !text.isEmpty() && text.length() <= 256);
  }

  /**
   * Whether the last character of a base64url part of {@code remainder} (length mod 4) leaves the
   * unused low bits zero. The JDK decoder ignores them, so without this check four different
   * strings (for HS256) would carry one valid signature: tokens must have exactly one spelling (RFC
   * 4648 §3.5).
   */
  private static boolean isCanonicalTail(char last, int remainder) {
    int value =
        last >= 'A' && last <= 'Z'
            ? last - 'A'
            : last >= 'a' && last <= 'z'
                ? last - 'a' + 26
                : last >= '0' && last <= '9' ? last - '0' + 52 : last == '-' ? 62 : 63;
    return remainder == 0
        || (remainder == 2 && (value & 0x0F) == 0)
        || (remainder == 3 && (value & 0x03) == 0);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static JWSAlgorithm algorithmOf(JWK jwk) {
    String named = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
    if (jwk instanceof OctetSequenceKey) {
      JWSAlgorithm alg = named == null ? JWSAlgorithm.HS256 : JWSAlgorithm.parse(named);
      require(JWSAlgorithm.Family.HMAC_SHA.contains(alg), alg + " is not an HMAC algorithm");
      return alg;
    }
    if (jwk instanceof RSAKey rsa) {
      JWSAlgorithm alg = named == null ? JWSAlgorithm.RS256 : JWSAlgorithm.parse(named);
      require(JWSAlgorithm.Family.RSA.contains(alg), alg + " is not an RSA algorithm");
      require(rsa.size() >= 2048, "the RSA key has " + rsa.size() + " bits");
      return alg;
    }
    if (jwk instanceof ECKey ec) {
      Curve curve = ec.getCurve();
      JWSAlgorithm byCurve =
          Curve.P_256.equals(curve)
              ? JWSAlgorithm.ES256
              : Curve.P_384.equals(curve)
                  ? JWSAlgorithm.ES384
                  : Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : null;
      if (byCurve == null) {
        throw new IllegalArgumentException("curve " + curve + " is not supported");
      }
      JWSAlgorithm alg = named == null ? byCurve : JWSAlgorithm.parse(named);
      require(alg.equals(byCurve), alg + " does not match curve " + curve);
      return alg;
    }
    if (jwk instanceof OctetKeyPair okp) {
      require(
          Curve.Ed25519.equals(okp.getCurve()),
          "curve " + okp.getCurve() + " is not supported (use Ed25519)");
      JWSAlgorithm alg = named == null ? JWSAlgorithm.EdDSA : JWSAlgorithm.parse(named);
      require(
          alg.equals(JWSAlgorithm.EdDSA) || alg.equals(JWSAlgorithm.Ed25519),
          alg + " is not an Ed25519 algorithm (use EdDSA or Ed25519)");
      return alg;
    }
    throw new IllegalArgumentException(jwk.getKeyType() + " keys are not supported");
  }

  private static JWK publicJwk(JWK jwk, JWSAlgorithm alg) {
    JWK pub = jwk.toPublicJWK();
    if (pub instanceof RSAKey rsa) {
      return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
    }
    if (pub instanceof ECKey ec) {
      return new ECKey.Builder(ec).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
    }
    return new OctetKeyPair.Builder((OctetKeyPair) pub)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(alg)
        .build();
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static Verifier verifierOf(JWK jwk, JWSAlgorithm alg) throws JOSEException {
    if (jwk instanceof OctetSequenceKey oct) {
      return new Hmac(alg, oct.toByteArray());
    }
    JWSVerifier verifier =
        jwk instanceof RSAKey rsa
            ? new RSASSAVerifier(rsa.toRSAPublicKey())
            : jwk instanceof OctetKeyPair okp
                ? new Ed25519Verifier(okp.toPublicJWK())
                : new ECDSAVerifier(((ECKey) jwk).toECPublicKey());
    JWSHeader header = new JWSHeader(alg);
    return (token, signatureStart, signature) -> {
      try {
        return verifier.verify(
            header,
            token.substring(0, signatureStart).getBytes(StandardCharsets.US_ASCII),
            Base64URL.encode(signature));
      } catch (JOSEException e) {
        return false;
      }
    };
  }

  /** Verifies the signature over {@code token[0, signatureStart)}. */
  @FunctionalInterface
  private interface Verifier {
    boolean verify(String token, int signatureStart, byte[] signature);
  }

  private record VerifyingKey(
      JWSAlgorithm alg, @Nullable String kid, Verifier verifier, boolean hookShaped) {
    VerifyingKey(JWSAlgorithm alg, @Nullable String kid, Verifier verifier) {
      this(alg, kid, verifier, false);
    }

    /** This key, marking the token it verifies as shaped by the SvelteKit hook. */
    VerifyingKey asHookShaped() {
      return new VerifyingKey(alg, kid, verifier, true);
    }

    boolean verify(String token, int signatureStart, byte[] signature) {
      return verifier.verify(token, signatureStart, signature);
    }
  }

  private record SigningKey(JWSHeader header, String encodedHeader, JWSSigner signer) {
    static SigningKey of(JWK jwk, JWSAlgorithm alg, String typ) throws JOSEException {
      JWSHeader header =
          new JWSHeader.Builder(alg).type(new JOSEObjectType(typ)).keyID(jwk.getKeyID()).build();
      JWSSigner signer =
          jwk instanceof OctetSequenceKey oct
              ? new MACSigner(oct.toByteArray())
              : jwk instanceof RSAKey rsa
                  ? new RSASSASigner(rsa)
                  : jwk instanceof OctetKeyPair okp
                      ? new Ed25519Signer(okp)
                      : new ECDSASigner((ECKey) jwk);
      return new SigningKey(header, header.toBase64URL().toString(), signer);
    }
  }

  /**
   * HMAC verification with the JDK's {@link Mac}, one instance per thread, and a constant-time
   * compare. Written here rather than through Nimbus's {@code MACVerifier} because that looks up
   * and initialises a new {@code Mac} on every call, which costs more than the rest of the check;
   * the cryptography is still the JDK's.
   */
  private static final class Hmac implements Verifier {

    private final ThreadLocal<Scratch> scratch;

    Hmac(JWSAlgorithm alg, byte[] secret) {
      String jcaName = "Hmac" + alg.getName().replace("HS", "SHA");
      int minimum = Integer.parseInt(alg.getName().substring(2)) / 8;
      if (secret.length < minimum) {
        throw new IllegalArgumentException(
            alg + " needs a secret of at least " + minimum + " bytes");
      }
      SecretKeySpec key = new SecretKeySpec(secret, jcaName);
      newMac(jcaName, key); // fail at build time, not on the first request
      this.scratch = ThreadLocal.withInitial(() -> new Scratch(newMac(jcaName, key)));
    }

    @Override
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): exact for ASCII, no copy
    public boolean verify(String token, int signatureStart, byte[] signature) {
      Scratch local = scratch.get();
      token.getBytes(0, signatureStart, local.input, 0);
      local.mac.update(local.input, 0, signatureStart);
      return MessageDigest.isEqual(local.mac.doFinal(), signature);
    }

    private static Mac newMac(String jcaName, SecretKeySpec key) {
      try {
        Mac mac = Mac.getInstance(jcaName);
        mac.init(key);
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalArgumentException(jcaName + " is not available: " + e.getMessage(), e);
      }
    }

    private static final class Scratch {
      final Mac mac;
      final byte[] input = new byte[MAX_TOKEN_LENGTH];

      Scratch(Mac mac) {
        this.mac = mac;
      }
    }
  }

  /** The encryption side of one token type: the header we write and the keys by kid. */
  private static final class Jwe {
    final JWEHeader header;
    final String encodedHeader;
    final DirectEncrypter encrypter;
    final SecretKeySpec encryptingKey;
    final Map<String, SecretKeySpec> byKid;

    private Jwe(
        JWEHeader header,
        DirectEncrypter encrypter,
        SecretKeySpec encryptingKey,
        Map<String, SecretKeySpec> byKid) {
      this.header = header;
      this.encodedHeader = header.toBase64URL().toString();
      this.encrypter = encrypter;
      this.encryptingKey = encryptingKey;
      this.byKid = byKid;
    }

    static Jwe of(Encryption encryption, String typ) throws JOSEException {
      Map<String, SecretKeySpec> byKid = new LinkedHashMap<>();
      encryption.keysByKid().forEach((kid, key) -> byKid.put(kid, new SecretKeySpec(key, "AES")));
      SecretKeySpec encrypting =
          java.util.Objects.requireNonNull(byKid.get(encryption.encryptingKid()));
      JWEHeader header =
          new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
              .keyID(encryption.encryptingKid())
              .type(new JOSEObjectType(typ))
              .build();
      return new Jwe(header, new DirectEncrypter(encrypting), encrypting, Map.copyOf(byKid));
    }

    /** Checks a foreign JWE header in the documented order; returns the key or the reason. */
    Object selectKey(String encodedHeader, String typ) throws java.text.ParseException {
      Map<String, Object> parsed =
          JSONObjectUtils.parse(
              new String(Base64.getUrlDecoder().decode(encodedHeader), StandardCharsets.UTF_8));
      for (String name : parsed.keySet()) {
        if (!ALLOWED_JWE_HEADER_PARAMETERS.contains(name)) {
          return RejectionReason.FORBIDDEN_HEADER; // zip, p2c, p2s, epk, jku, crit, cty, ...
        }
      }
      if (!"dir".equals(parsed.get("alg")) || !"A256GCM".equals(parsed.get("enc"))) {
        return RejectionReason.ALG_NOT_ALLOWED;
      }
      if (!typ.equals(parsed.get("typ"))) {
        return RejectionReason.WRONG_TOKEN_TYPE;
      }
      Object kid = parsed.get("kid");
      if (kid != null && !(kid instanceof String)) {
        return RejectionReason.MALFORMED;
      }
      SecretKeySpec key = kid == null ? null : byKid.get(kid);
      return key == null ? RejectionReason.UNKNOWN_KEY : key;
    }
  }
}
