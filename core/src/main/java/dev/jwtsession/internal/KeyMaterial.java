package dev.jwtsession.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Turns keys as operators hold them (PEM text, key store entries) into JWKs, with the JDK alone
 * (plus Tink for an Ed25519 public key derived from its seed). Every failure becomes a problem line
 * naming {@code keys}; no message ever carries key material, PEM text or a password, so exception
 * messages of the JCA (which may quote input) are never copied.
 */
public final class KeyMaterial {

  private static final String TINK_CLASS = "com.google.crypto.tink.subtle.Ed25519Sign";
  private static final String PKCS8_FIX =
      "Pass an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), e.g. the output of "
          + "`openssl pkcs8 -topk8 -nocrypt -in key.pem`";
  private static final String SPKI_FIX =
      "Pass a SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----), e.g. the output of "
          + "`openssl pkey -pubout -in key.pem`";

  private KeyMaterial() {}

  /** Whether Google Tink, which Nimbus's Ed25519 signer and verifier call, is on the classpath. */
  public static boolean tinkPresent() {
    try {
      Class.forName(TINK_CLASS, false, KeyMaterial.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The signing JWK of a PKCS#8 PEM, or {@code null} with a problem recorded. */
  public static @Nullable JWK privateFromPem(
      String pem, @Nullable String kid, List<String> problems) {
    byte[] der = pemBody(pem, "PRIVATE KEY", "the signing key's PEM", PKCS8_FIX, problems);
    if (der == null) {
      return null;
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      PrivateKey key;
      try {
        key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        continue; // not this algorithm; try the next
      }
      return jwk(publicOf(key, problems), key, kid, "the signing key's PEM", problems);
    }
    problems.add(
        "keys: the signing key's PEM holds no RSA, EC or Ed25519 private key the JDK can read. "
            + PKCS8_FIX
            + ".");
    return null;
  }

  /** The verification-only JWK of a SubjectPublicKeyInfo PEM, or {@code null}. */
  public static @Nullable JWK publicFromPem(String pem, int index, List<String> problems) {
    String what = "verification public key PEM #" + (index + 1);
    byte[] der = pemBody(pem, "PUBLIC KEY", "the " + what, SPKI_FIX, problems);
    if (der == null) {
      return null;
    }
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      PublicKey key;
      try {
        key = KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        continue;
      }
      return jwk(key, null, null, "the " + what, problems);
    }
    problems.add(
        "keys: the " + what + " holds no RSA, EC or Ed25519 public key. " + SPKI_FIX + ".");
    return null;
  }

  /** The JWK of one key store entry, or {@code null} with a problem recorded. */
  public static @Nullable JWK fromKeyStore(
      KeyStore store, String alias, char[] password, boolean signing, List<String> problems) {
    String what = (signing ? "the signing alias '" : "the verification alias '") + alias + "'";
    try {
      if (!store.containsAlias(alias)) {
        problems.add(
            "keys: the key store has no entry "
                + what.substring(4)
                + ". Use an alias the store holds (`keytool -list`); PKCS#12 aliases are lower case.");
        return null;
      }
      Key key = store.isKeyEntry(alias) ? store.getKey(alias, password) : null;
      if (key instanceof SecretKey secret) {
        byte[] bytes = secret.getEncoded();
        if (bytes == null || bytes.length < 32) {
          problems.add(
              "keys: the secret key of "
                  + what
                  + " is shorter than 32 bytes. Store a random secret of 32 or more bytes.");
          return null;
        }
        return new OctetSequenceKey.Builder(bytes)
            .algorithm(JWSAlgorithm.HS256)
            .keyID(alias)
            .build();
      }
      Certificate certificate = store.getCertificate(alias);
      if (certificate == null) {
        problems.add(
            "keys: "
                + what
                + " has no certificate, so its public key is unknown. Store the key with its "
                + "certificate chain.");
        return null;
      }
      if (signing && !(key instanceof PrivateKey)) {
        problems.add(
            "keys: "
                + what
                + " holds no private key to sign with. Name a private key entry as the signing "
                + "alias; certificates go in the verification aliases.");
        return null;
      }
      return jwk(
          certificate.getPublicKey(), signing ? (PrivateKey) key : null, null, what, problems);
    } catch (UnrecoverableKeyException e) {
      problems.add(
          "keys: the key of "
              + what
              + " cannot be recovered: the password is wrong. Pass the key store's password.");
    } catch (GeneralSecurityException | RuntimeException e) {
      problems.add(
          "keys: "
              + what
              + " cannot be read ("
              + e.getClass().getSimpleName()
              + "). Load the key store (KeyStore.load) with its password before passing it.");
    }
    return null;
  }

  private static byte @Nullable [] pemBody(
      String pem, String label, String what, String fix, List<String> problems) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int start = pem.indexOf(begin);
    int stop = start < 0 ? -1 : pem.indexOf(end, start + begin.length());
    if (start < 0 || stop < 0) {
      String found =
          pem.contains("-----BEGIN RSA PRIVATE KEY-----")
                  || pem.contains("-----BEGIN EC PRIVATE KEY-----")
              ? "is in the PKCS#1/SEC1 form"
              : pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                  ? "is encrypted"
                  : "has no " + begin + " block";
      problems.add("keys: " + what + " " + found + ". " + fix + ".");
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), stop).strip());
    } catch (IllegalArgumentException e) {
      problems.add("keys: " + what + " is not valid base64. " + fix + ".");
      return null;
    }
  }

  private static @Nullable PublicKey publicOf(PrivateKey key, List<String> problems) {
    try {
      if (key instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (key instanceof ECPrivateKey ec) {
        ECParameterSpec params = ec.getParams();
        ECPoint point = multiply(params.getGenerator(), ec.getS(), params.getCurve());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      problems.add(
          "keys: the public part of the signing key cannot be derived. " + PKCS8_FIX + ".");
    }
    return null; // Ed25519: derived from the seed in jwk()
  }

  private static @Nullable JWK jwk(
      @Nullable PublicKey publicKey,
      @Nullable PrivateKey privateKey,
      @Nullable String kid,
      String what,
      List<String> problems) {
    if (publicKey instanceof RSAPublicKey rsa) {
      RSAKey.Builder builder = new RSAKey.Builder(rsa).keyID(kid);
      return privateKey == null ? builder.build() : builder.privateKey(privateKey).build();
    }
    if (publicKey instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        problems.add("keys: " + what + " is on an unsupported curve. Use P-256, P-384 or P-521.");
        return null;
      }
      ECKey.Builder builder = new ECKey.Builder(curve, ec).keyID(kid);
      return privateKey == null ? builder.build() : builder.privateKey(privateKey).build();
    }
    if (publicKey instanceof EdECPublicKey || privateKey instanceof EdECPrivateKey) {
      return ed25519(publicKey, privateKey, kid, what, problems);
    }
    if (publicKey != null || privateKey != null) {
      problems.add("keys: " + what + " is not an RSA, EC or Ed25519 key. Use one of these.");
    }
    return null;
  }

  private static @Nullable JWK ed25519(
      @Nullable PublicKey publicKey,
      @Nullable PrivateKey privateKey,
      @Nullable String kid,
      String what,
      List<String> problems) {
    String curve =
        publicKey instanceof EdECPublicKey pub
            ? pub.getParams().getName()
            : ((EdECPrivateKey) java.util.Objects.requireNonNull(privateKey)).getParams().getName();
    if (!"Ed25519".equalsIgnoreCase(curve)) {
      problems.add("keys: " + what + " is an " + curve + " key. Use Ed25519, RSA or EC.");
      return null;
    }
    byte[] seed =
        privateKey instanceof EdECPrivateKey edPrivate ? edPrivate.getBytes().orElse(null) : null;
    byte[] x;
    if (publicKey != null) {
      byte[] spki = publicKey.getEncoded(); // 12-byte SubjectPublicKeyInfo prefix, then the key
      x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    } else if (seed != null && tinkPresent()) {
      x = TinkEd25519.publicKeyOf(seed);
    } else {
      problems.add(
          "keys: "
              + what
              + " is Ed25519, whose public key is derived with Google Tink, which is not on the "
              + "classpath. Add the dependency com.google.crypto.tink:tink:1.23.0.");
      return null;
    }
    OctetKeyPair.Builder builder = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x));
    if (privateKey != null) {
      if (seed == null) {
        problems.add("keys: " + what + " hides its private bytes. Export the key as PKCS#8.");
        return null;
      }
      builder.d(Base64URL.encode(seed));
    }
    return builder.keyID(kid).build();
  }

  /** {@code k·g} on a prime curve, affine double-and-add; run once per key at load time. */
  static ECPoint multiply(ECPoint g, BigInteger k, EllipticCurve curve) {
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    ECPoint result = ECPoint.POINT_INFINITY;
    ECPoint addend = g;
    for (int i = 0; i < k.bitLength(); i++) {
      if (k.testBit(i)) {
        result = add(result, addend, p, curve.getA());
      }
      addend = add(addend, addend, p, curve.getA());
    }
    return result;
  }

  private static ECPoint add(ECPoint a, ECPoint b, BigInteger p, BigInteger curveA) {
    if (a.equals(ECPoint.POINT_INFINITY)) {
      return b;
    }
    if (b.equals(ECPoint.POINT_INFINITY)) {
      return a;
    }
    BigInteger lambda;
    if (a.getAffineX().equals(b.getAffineX())) {
      if (a.getAffineY().add(b.getAffineY()).mod(p).signum() == 0) {
        return ECPoint.POINT_INFINITY;
      }
      BigInteger x = a.getAffineX();
      lambda =
          x.multiply(x)
              .multiply(BigInteger.valueOf(3))
              .add(curveA)
              .multiply(a.getAffineY().shiftLeft(1).modInverse(p))
              .mod(p);
    } else {
      lambda =
          b.getAffineY()
              .subtract(a.getAffineY())
              .multiply(b.getAffineX().subtract(a.getAffineX()).modInverse(p))
              .mod(p);
    }
    BigInteger x = lambda.multiply(lambda).subtract(a.getAffineX()).subtract(b.getAffineX()).mod(p);
    BigInteger y = lambda.multiply(a.getAffineX().subtract(x)).subtract(a.getAffineY()).mod(p);
    return new ECPoint(x, y);
  }

  /** Kept apart so that Tink's classes load only when an Ed25519 seed must be expanded. */
  private static final class TinkEd25519 {
    static byte[] publicKeyOf(byte[] seed) {
      try {
        return com.google.crypto.tink.subtle.Ed25519Sign.KeyPair.newKeyPairFromSeed(seed)
            .getPublicKey();
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("the Ed25519 seed is unusable", e);
      }
    }
  }
}
