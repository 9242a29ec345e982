package dev.jwtsession.spring.boot;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * {@code jwt-session.<token>.keys[i].*} and {@code <token>.encryption.keys[i].*} into {@link Keys}
 * and {@link EncryptionKeys}. Problems are named by property; no key material is ever quoted.
 */
final class KeyProperties {

  private KeyProperties() {}

  /** The keys of the list, or {@code null} with a problem recorded. */
  static Keys keys(String base, List<JwtSessionProperties.Key> entries, List<String> problems) {
    long signers = entries.stream().filter(e -> !e.isVerifyOnly()).count();
    if (signers != 1) {
      problems.add(
          base
              + "keys: "
              + (signers == 0 ? "has no signing key" : "has " + signers + " signing keys")
              + ". Mark every key but the one that signs with verify-only=true");
      return null;
    }
    JWK signing = null;
    Keys failedSigning = null;
    List<JWK> others = new ArrayList<>();
    List<Keys> failed = new ArrayList<>();
    boolean bad = false;
    for (int i = 0; i < entries.size(); i++) {
      JwtSessionProperties.Key e = entries.get(i);
      String name = base + "keys[" + i + "].";
      int sources =
          (e.getSecret() != null ? 1 : 0)
              + (e.getJwk() != null ? 1 : 0)
              + (e.getPemLocation() != null ? 1 : 0);
      if (sources != 1) {
        problems.add(
            name
                + "secret: "
                + (sources == 0 ? "no key is given" : "more than one key source is given")
                + ". Give exactly one of "
                + name
                + "secret, "
                + name
                + "jwk or "
                + name
                + "pem-location");
        bad = true;
        continue;
      }
      JWK key = null;
      Keys loaded = null;
      if (e.getSecret() != null) {
        byte[] secret = e.getSecret().getBytes(StandardCharsets.UTF_8);
        loaded = Keys.hmac(e.getKid(), secret);
        key = secret.length < Keys.MIN_SECRET_BYTES ? null : loaded.signingKey();
      } else if (e.getJwk() != null) {
        key = jwk(name, e, problems);
        bad |= key == null;
      } else {
        String pem = read(name, e.getPemLocation(), problems);
        if (pem == null) {
          bad = true;
          continue;
        }
        loaded = Keys.fromPem(e.getKid(), pem);
        try {
          key = loaded.signingKey();
        } catch (IllegalStateException notLoaded) {
          key = null;
        }
      }
      if (key == null && loaded != null) {
        if (e.isVerifyOnly()) {
          failed.add(loaded);
        } else {
          failedSigning = loaded;
        }
      } else if (key != null && !e.isVerifyOnly()) {
        signing = key;
      } else if (key != null) {
        others.add(key);
      }
    }
    if (bad) {
      return null;
    }
    Keys result = signing != null ? Keys.of(signing, others.toArray(JWK[]::new)) : failedSigning;
    for (Keys f : failed) {
      result = result.withVerificationOnly(f); // adds only the problems of f
    }
    return result;
  }

  private static JWK jwk(String name, JwtSessionProperties.Key e, List<String> problems) {
    try {
      Map<String, Object> json = new LinkedHashMap<>(JSONObjectUtils.parse(e.getJwk()));
      Object own = json.get("kid");
      if (e.getKid() != null && own != null && !e.getKid().equals(own)) {
        problems.add(
            name + "kid: differs from the kid inside " + name + "jwk. Remove one of the two");
        return null;
      }
      if (e.getKid() != null) {
        json.put("kid", e.getKid());
      }
      return JWK.parse(json);
    } catch (java.text.ParseException | RuntimeException notAJwk) {
      // Never the parser's message: it may quote key material.
      problems.add(name + "jwk: is not a JWK. Give one key as JSON ({\"kty\":...})");
      return null;
    }
  }

  private static String read(String name, String location, List<String> problems) {
    try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException unreadable) {
      problems.add(
          name
              + "pem-location: cannot be read. Give a readable location, e.g."
              + " file:/etc/app/access-key.pem or classpath:keys/access-key.pem");
      return null;
    }
  }

  /** The encryption keys of the list (the first encrypts), or {@code null}: none or a problem. */
  static EncryptionKeys encryption(
      String base, List<JwtSessionProperties.EncryptionKey> entries, List<String> problems) {
    EncryptionKeys result = null;
    boolean bad = false;
    for (int i = 0; i < entries.size(); i++) {
      JwtSessionProperties.EncryptionKey e = entries.get(i);
      String name = base + "encryption.keys[" + i + "].";
      if (e.getKid() == null) {
        problems.add(name + "kid: is missing. Give each encryption key a key id");
        bad = true;
      }
      byte[] key = null;
      try {
        key = e.getKey() == null ? null : Base64.getDecoder().decode(e.getKey().trim());
      } catch (IllegalArgumentException notBase64) {
        key = null;
      }
      if (key == null) {
        problems.add(
            name
                + "key: is missing or not base64. Set it to 32 random bytes in base64, e.g. the"
                + " output of `openssl rand -base64 32`");
        bad = true;
      }
      if (e.getKid() != null && key != null) {
        EncryptionKeys k = EncryptionKeys.direct(e.getKid(), key);
        result = result == null ? k : result.withDecryptionOnly(k);
      }
    }
    return bad ? null : result;
  }
}
