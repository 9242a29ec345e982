package dev.jwtsession;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The key material of one token type: one signing key and, for key rotation, any number of keys
 * that still verify tokens signed before the switch.
 *
 * <p>Each key is pinned to one algorithm (the JWK's {@code alg}, else HS256 for secrets, RS256 for
 * RSA, ES256/384/512 by curve for EC): a token is accepted only with exactly that algorithm, so
 * {@code alg: none} and algorithm confusion cannot work. With more than one key, every key needs a
 * distinct {@code kid}; a token's {@code kid} is only ever a lookup key into this set.
 *
 * <p>{@link #toString()} names algorithms and key ids, never key material.
 */
public final class Keys {

  /** The shortest HMAC secret accepted: 32 bytes, the output size of SHA-256 (RFC 7518 §3.2). */
  public static final int MIN_SECRET_BYTES = 32;

  private final JWK signingKey;
  private final List<JWK> verificationKeys;
  private final List<String> problems;

  private Keys(JWK signingKey, List<JWK> verificationKeys, List<String> problems) {
    this.signingKey = signingKey;
    this.verificationKeys = verificationKeys;
    this.problems = problems;
  }

  /**
   * An HS256 secret given as text, used as its UTF-8 bytes (as Node's {@code jsonwebtoken} does, so
   * tokens interoperate). It must be at least {@value #MIN_SECRET_BYTES} bytes long.
   */
  public static Keys hmac(String secret) {
    return hmac(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
  }

  /** An HS256 secret of at least {@value #MIN_SECRET_BYTES} bytes. */
  public static Keys hmac(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    List<String> problems = new ArrayList<>();
    if (secret.length < MIN_SECRET_BYTES) {
      problems.add(
          "secret: is "
              + secret.length
              + " bytes; HS256 needs at least "
              + MIN_SECRET_BYTES
              + ". Use a random secret of 32 or more bytes, e.g. the output of `openssl rand -base64 32`.");
      // Pad so that later steps can run and report every other problem too; never used to sign.
      secret = java.util.Arrays.copyOf(secret, MIN_SECRET_BYTES);
    }
    JWK key = new OctetSequenceKey.Builder(secret).algorithm(JWSAlgorithm.HS256).build();
    return new Keys(key, List.of(), List.copyOf(problems));
  }

  /**
   * A signing key (with its private part, for RSA and EC) and keys that only verify. RSA, EC
   * (P-256, P-384, P-521) and octet (HMAC) keys are supported.
   */
  public static Keys of(JWK signingKey, JWK... verificationOnly) {
    Objects.requireNonNull(signingKey, "signingKey");
    List<JWK> all = new ArrayList<>();
    all.add(signingKey);
    all.addAll(List.of(verificationOnly));
    List<String> problems = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (JWK key : all) {
      if (!(key instanceof RSAKey || key instanceof ECKey || key instanceof OctetSequenceKey)) {
        problems.add(
            "keys: "
                + key.getKeyType()
                + " keys are not supported. Use an RSA, EC or "
                + "octet (HMAC) key.");
      }
      if (all.size() > 1 && (key.getKeyID() == null || !kids.add(key.getKeyID()))) {
        problems.add(
            "keys: with more than one key every key needs a distinct kid. Give each JWK a "
                + "unique key id.");
      }
    }
    if ((signingKey instanceof RSAKey || signingKey instanceof ECKey) && !signingKey.isPrivate()) {
      problems.add(
          "keys: the signing key has no private part. Pass the private key to sign with; "
              + "public keys go in the verification-only list.");
    }
    return new Keys(signingKey, List.copyOf(all.subList(1, all.size())), List.copyOf(problems));
  }

  /** The key that signs new tokens. */
  public JWK signingKey() {
    return signingKey;
  }

  /** The keys that only verify (older keys during a key rotation). */
  public List<JWK> verificationKeys() {
    return verificationKeys;
  }

  List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Keys[signing=").append(describe(signingKey));
    for (JWK key : verificationKeys) {
      text.append(", verifies=").append(describe(key));
    }
    return text.append(']').toString();
  }

  private static String describe(JWK key) {
    return key.getKeyType()
        + (key.getKeyID() == null ? "" : " kid=" + key.getKeyID())
        + (key.getAlgorithm() == null ? "" : " " + key.getAlgorithm());
  }
}
