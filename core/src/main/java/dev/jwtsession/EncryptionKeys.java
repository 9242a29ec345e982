package dev.jwtsession;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The keys that encrypt the tokens of one type (opt-in, {@link TokenSettings.Builder#encryption}):
 * one key that encrypts and, for key rotation, older keys that still decrypt.
 *
 * <p>An encrypted token is a compact JWE with the protected header {@code {"alg":"dir",
 * "enc":"A256GCM","kid":..,"typ":..}} and the claims JSON as plaintext: AES-256-GCM hides the
 * claims from the browser (and anyone who reads the cookie) and authenticates them, so there is no
 * inner signature. Each key is 32 random bytes with a distinct, non-empty {@code kid}; a token's
 * {@code kid} is only a lookup key. Access and refresh tokens must use different keys.
 *
 * <p>{@link #toString()} names key ids, never key material.
 */
public final class EncryptionKeys {

  /** The key size of A256GCM: 32 bytes. */
  public static final int KEY_BYTES = 32;

  private final String encryptingKid;
  private final Map<String, byte[]> byKid;
  private final List<String> problems;

  private EncryptionKeys(String encryptingKid, Map<String, byte[]> byKid, List<String> problems) {
    this.encryptingKid = encryptingKid;
    this.byKid = byKid;
    this.problems = problems;
  }

  /**
   * A 32-byte AES key with the key id {@code kid}, used directly ({@code alg: dir}) with A256GCM.
   * Generate it with {@code openssl rand -base64 32}.
   */
  public static EncryptionKeys direct(String kid, byte[] key32) {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(key32, "key32");
    List<String> problems = new ArrayList<>();
    if (kid.isEmpty()) {
      problems.add("encryption: a kid is empty. Give each encryption key a non-empty key id.");
    }
    if (key32.length != KEY_BYTES) {
      problems.add(
          "encryption: key '"
              + kid
              + "' is "
              + key32.length
              + " bytes; A256GCM needs exactly "
              + KEY_BYTES
              + ". Use 32 random bytes, e.g. the base64-decoded output of `openssl rand -base64 32`.");
    }
    Map<String, byte[]> byKid = new LinkedHashMap<>();
    byKid.put(kid, key32.clone());
    return new EncryptionKeys(kid, byKid, List.copyOf(problems));
  }

  /**
   * These keys plus every key of {@code older} as decryption-only: tokens encrypted before a key
   * rotation stay readable until the old key is removed.
   */
  public EncryptionKeys withDecryptionOnly(EncryptionKeys older) {
    Objects.requireNonNull(older, "older");
    List<String> problems = new ArrayList<>(this.problems);
    problems.addAll(older.problems);
    Map<String, byte[]> byKid = new LinkedHashMap<>(this.byKid);
    Set<String> seen = new HashSet<>(byKid.keySet());
    for (Map.Entry<String, byte[]> entry : older.byKid.entrySet()) {
      if (!seen.add(entry.getKey())) {
        problems.add(
            "encryption: kid '"
                + entry.getKey()
                + "' is used twice. Give each encryption key a unique key id.");
      } else {
        byKid.put(entry.getKey(), entry.getValue());
      }
    }
    return new EncryptionKeys(encryptingKid, byKid, List.copyOf(problems));
  }

  /** The key id of the key that encrypts new tokens. */
  public String encryptingKid() {
    return encryptingKid;
  }

  /** Every key id, the encrypting one first. */
  public List<String> kids() {
    return List.copyOf(byKid.keySet());
  }

  /** A copy of the key with {@code kid}; for the engine (internal use). */
  byte[] key(String kid) {
    return Objects.requireNonNull(byKid.get(kid), kid).clone();
  }

  /** The keys by kid, in order, encrypting one first (copies). */
  Map<String, byte[]> keys() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    byKid.forEach((kid, key) -> copy.put(kid, key.clone()));
    return copy;
  }

  List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "EncryptionKeys[dir A256GCM, encrypts="
        + encryptingKid
        + ", kids="
        + byKid.keySet()
        + "]";
  }
}
