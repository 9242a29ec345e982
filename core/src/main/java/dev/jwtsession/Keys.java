package dev.jwtsession;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.jwtsession.internal.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The key material of one token type: one signing key and, for key rotation, any number of keys
 * that still verify tokens signed before the switch.
 *
 * <p>Each key is pinned to one algorithm: the JWK's {@code alg}, else HS256 for secrets, RS256 for
 * RSA, ES256/384/512 by curve for EC and {@code EdDSA} for Ed25519 (or the fully-specified {@code
 * Ed25519} when the JWK's {@code alg} says so). A token is accepted only with exactly that
 * algorithm, so {@code alg: none} and algorithm confusion cannot work. With more than one key,
 * every key needs a distinct {@code kid}; a token's {@code kid} is only ever a lookup key into this
 * set. An RSA, EC or Ed25519 key given without {@code kid} gets its RFC 7638 thumbprint as {@code
 * kid}.
 *
 * <p>Loaders for the forms operators keep keys in, JDK only: {@link #hmac(String, String)}, {@link
 * #fromJwkSet}, {@link #fromPem}, {@link #fromKeyStore}; {@link #withVerificationOnly} adds the
 * keys of a rotation's previous generation. Loading problems are reported by {@code
 * JwtSession.Builder.build()} as {@link JwtSessionConfigException} lines, all at once, without key
 * material. Ed25519 needs Google Tink ({@code com.google.crypto.tink:tink:1.23.0}) on the
 * classpath.
 *
 * <p>{@link #toString()} names algorithms and key ids, never key material.
 */
public final class Keys {

  /** The shortest HMAC secret accepted: 32 bytes, the output size of SHA-256 (RFC 7518 §3.2). */
  public static final int MIN_SECRET_BYTES = 32;

  private final @Nullable JWK signingKey;
  private final List<JWK> verificationKeys;
  private final List<String> problems;

  private Keys(@Nullable JWK signingKey, List<JWK> verificationKeys, List<String> problems) {
    this.signingKey = signingKey;
    this.verificationKeys = verificationKeys;
    this.problems = problems;
  }

  /**
   * An HS256 secret given as text, used as its UTF-8 bytes (as Node's {@code jsonwebtoken} does, so
   * tokens interoperate). It must be at least {@value #MIN_SECRET_BYTES} bytes long. No {@code
   * kid}: for rotation use {@link #hmac(String, String)}.
   */
  public static Keys hmac(String secret) {
    return hmac(null, Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
  }

  /** An HS256 secret of at least {@value #MIN_SECRET_BYTES} bytes, without {@code kid}. */
  public static Keys hmac(byte[] secret) {
    return hmac(null, secret);
  }

  /**
   * An HS256 secret (its UTF-8 bytes, at least {@value #MIN_SECRET_BYTES}) with the key id {@code
   * kid}, written into every token it signs, so secrets can rotate: {@code Keys.hmac("2026-12",
   * newSecret).withVerificationOnly(Keys.hmac("2026-06", oldSecret))}.
   */
  public static Keys hmac(String kid, String secret) {
    Objects.requireNonNull(kid, "kid");
    return hmac(kid, Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
  }

  /** An HS256 secret of at least {@value #MIN_SECRET_BYTES} bytes with the key id {@code kid}. */
  public static Keys hmac(@Nullable String kid, byte[] secret) {
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
    if (kid != null && kid.isEmpty()) {
      problems.add("keys: a kid is empty. Give each key a non-empty key id.");
    }
    JWK key = new OctetSequenceKey.Builder(secret).algorithm(JWSAlgorithm.HS256).keyID(kid).build();
    return new Keys(key, List.of(), List.copyOf(problems));
  }

  /**
   * A signing key (with its private part, for RSA, EC and Ed25519) and keys that only verify. RSA
   * (2048+ bits), EC (P-256, P-384, P-521), Ed25519 and octet (HMAC) keys are supported; Ed448 and
   * X25519 are not.
   */
  public static Keys of(JWK signingKey, JWK... verificationOnly) {
    Objects.requireNonNull(signingKey, "signingKey");
    List<JWK> all = new ArrayList<>();
    all.add(signingKey);
    all.addAll(List.of(verificationOnly));
    return checked(all, new ArrayList<>());
  }

  /**
   * The keys of a JWK Set (JSON, e.g. read from a file or a secret store): the key with {@code
   * signingKid} signs, every other key in the set only verifies.
   */
  public static Keys fromJwkSet(String jwkSetJson, String signingKid) {
    Objects.requireNonNull(jwkSetJson, "jwkSetJson");
    Objects.requireNonNull(signingKid, "signingKid");
    JWKSet set;
    try {
      set = JWKSet.parse(jwkSetJson);
    } catch (java.text.ParseException e) {
      // Nimbus's message may quote the input: only say that it failed.
      return failed(
          "keys: the JWK Set cannot be parsed as JSON. Pass a JWK Set document "
              + "({\"keys\":[...]}), e.g. the content of a jwks.json file.");
    }
    JWK signing = null;
    List<JWK> others = new ArrayList<>();
    for (JWK key : set.getKeys()) {
      if (signingKid.equals(key.getKeyID()) && signing == null) {
        signing = key;
      } else {
        others.add(key);
      }
    }
    if (signing == null) {
      return failed(
          "keys: the JWK Set has no key with kid '"
              + signingKid
              + "' to sign with. Name the kid of one of its keys as the signing kid.");
    }
    List<JWK> all = new ArrayList<>();
    all.add(signing);
    all.addAll(others);
    return checked(all, new ArrayList<>());
  }

  /**
   * A signing key from a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}; RSA, EC P-256/384/521 or
   * Ed25519), with key id {@code kid} (or, when {@code null}, its RFC 7638 thumbprint), and
   * verification-only public keys from SubjectPublicKeyInfo PEMs ({@code -----BEGIN PUBLIC
   * KEY-----}), each with its thumbprint as {@code kid}. Convert other PEM forms with {@code
   * openssl pkcs8 -topk8 -nocrypt} and {@code openssl pkey -pubout}.
   */
  public static Keys fromPem(
      @Nullable String kid, String pkcs8PrivateKeyPem, String... verificationPublicKeyPems) {
    Objects.requireNonNull(pkcs8PrivateKeyPem, "pkcs8PrivateKeyPem");
    List<String> problems = new ArrayList<>();
    List<JWK> all = new ArrayList<>();
    JWK signing = KeyMaterial.privateFromPem(pkcs8PrivateKeyPem, kid, problems);
    if (signing != null) {
      all.add(signing);
    }
    for (int i = 0; i < verificationPublicKeyPems.length; i++) {
      JWK key =
          KeyMaterial.publicFromPem(
              Objects.requireNonNull(verificationPublicKeyPems[i], "verificationPublicKeyPems"),
              i,
              problems);
      if (key != null) {
        all.add(key);
      }
    }
    return signing == null
        ? new Keys(null, List.of(), List.copyOf(problems))
        : checked(all, problems);
  }

  /**
   * A signing key from a key store (e.g. PKCS#12, loaded by the caller): the private key (RSA, EC
   * or Ed25519, with its certificate) or secret key (HMAC) under {@code signingAlias}; the keys
   * under {@code verificationAliases} only verify (a certificate's public key, or a secret key).
   * Asymmetric keys get their RFC 7638 thumbprint as {@code kid}, secret keys their alias.
   */
  public static Keys fromKeyStore(
      KeyStore store, String signingAlias, char[] password, String... verificationAliases) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(signingAlias, "signingAlias");
    Objects.requireNonNull(password, "password");
    List<String> problems = new ArrayList<>();
    List<JWK> all = new ArrayList<>();
    JWK signing = KeyMaterial.fromKeyStore(store, signingAlias, password, true, problems);
    if (signing != null) {
      all.add(signing);
    }
    for (String alias : verificationAliases) {
      JWK key =
          KeyMaterial.fromKeyStore(
              store,
              Objects.requireNonNull(alias, "verificationAliases"),
              password,
              false,
              problems);
      if (key != null) {
        all.add(key);
      }
    }
    return signing == null
        ? new Keys(null, List.of(), List.copyOf(problems))
        : checked(all, problems);
  }

  /**
   * These keys plus every key of {@code older} (its signing key included) as verification-only:
   * step 2 of a rotation, where the new key signs and the old one still verifies.
   */
  public Keys withVerificationOnly(Keys older) {
    Objects.requireNonNull(older, "older");
    List<String> problems = new ArrayList<>(this.problems);
    problems.addAll(older.problems);
    if (signingKey == null || older.signingKey == null) {
      return new Keys(signingKey, verificationKeys, List.copyOf(problems));
    }
    List<JWK> all = new ArrayList<>();
    all.add(signingKey);
    all.addAll(verificationKeys);
    all.add(older.signingKey);
    all.addAll(older.verificationKeys);
    return checked(all, problems);
  }

  /**
   * The key that signs new tokens.
   *
   * @throws IllegalStateException when the keys failed to load (then {@code build()} reports why)
   */
  public JWK signingKey() {
    if (signingKey == null) {
      throw new IllegalStateException("these keys failed to load: " + problems);
    }
    return signingKey;
  }

  /** The keys that only verify (older keys during a key rotation). */
  public List<JWK> verificationKeys() {
    return verificationKeys;
  }

  List<String> problems() {
    return problems;
  }

  private static Keys failed(String problem) {
    return new Keys(null, List.of(), List.of(problem));
  }

  /** Names thumbprint kids, then checks key types, kids and private parts. */
  private static Keys checked(List<JWK> given, List<String> problems) {
    List<JWK> all = new ArrayList<>();
    for (JWK key : given) {
      all.add(withThumbprintKid(key, problems));
    }
    Set<String> kids = new HashSet<>();
    boolean ec = false;
    boolean ed25519 = false;
    for (JWK key : all) {
      if (key instanceof OctetKeyPair okp) {
        if (Curve.Ed25519.equals(okp.getCurve())) {
          ed25519 = true;
        } else {
          problems.add(
              "keys: curve "
                  + okp.getCurve()
                  + " is not supported (X25519 is for key agreement and cannot sign; Nimbus has "
                  + "no Ed448 signer). Use an "
                  + "Ed25519, RSA or EC key.");
        }
      } else if (key instanceof ECKey) {
        ec = true;
      } else if (!(key instanceof RSAKey || key instanceof OctetSequenceKey)) {
        problems.add(
            "keys: "
                + key.getKeyType()
                + " keys are not supported. Use an RSA, EC, Ed25519 or "
                + "octet (HMAC) key.");
      }
      if (all.size() > 1 && (key.getKeyID() == null || !kids.add(key.getKeyID()))) {
        problems.add(
            "keys: with more than one key every key needs a distinct kid"
                + (key.getKeyID() == null ? "" : " ('" + key.getKeyID() + "' is used twice)")
                + ". Give each key a unique key id.");
      }
    }
    JWK signingKey = all.get(0);
    if (!(signingKey instanceof OctetSequenceKey) && !signingKey.isPrivate()) {
      problems.add(
          "keys: the signing key"
              + (signingKey.getKeyID() == null ? "" : " '" + signingKey.getKeyID() + "'")
              + " has no private part. Pass the private key to sign with; "
              + "public keys go in the verification-only list.");
    }
    if (ed25519 && !KeyMaterial.tinkPresent()) {
      problems.add(
          "keys: Ed25519 needs Google Tink, which is not on the classpath. Add the dependency "
              + "com.google.crypto.tink:tink:1.23.0 (jwt-session-core declares it optional).");
    }
    if (ec && ecIsUnsafeOn(Runtime.version())) {
      problems.add(
          "keys: EC keys need Java 17.0.3 or later, this is "
              + Runtime.version()
              + " whose ECDSA check accepts forged signatures (CVE-2022-21449). Upgrade Java or use "
              + "an RSA or Ed25519 key.");
    }
    return new Keys(signingKey, List.copyOf(all.subList(1, all.size())), List.copyOf(problems));
  }

  /** Whether {@code version} has the ECDSA flaw CVE-2022-21449 (Java 15 to 17.0.2, 18). */
  static boolean ecIsUnsafeOn(Runtime.Version version) {
    int feature = version.feature();
    if (feature == 17) {
      return version.interim() == 0 && version.update() < 3;
    }
    return feature == 15 || feature == 16 || (feature == 18 && version.update() < 1);
  }

  private static JWK withThumbprintKid(JWK key, List<String> problems) {
    if (key.getKeyID() != null || key instanceof OctetSequenceKey) {
      return key;
    }
    try {
      String kid = key.computeThumbprint().toString();
      if (key instanceof RSAKey rsa) {
        return new RSAKey.Builder(rsa).keyID(kid).build();
      }
      if (key instanceof ECKey ec) {
        return new ECKey.Builder(ec).keyID(kid).build();
      }
      if (key instanceof OctetKeyPair okp) {
        return new OctetKeyPair.Builder(okp).keyID(kid).build();
      }
      return key;
    } catch (JOSEException e) {
      problems.add("keys: a key's RFC 7638 thumbprint cannot be computed. Give the key a kid.");
      return key;
    }
  }

  @Override
  public String toString() {
    if (signingKey == null) {
      return "Keys[not loaded: " + problems.size() + " problem(s)]";
    }
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
