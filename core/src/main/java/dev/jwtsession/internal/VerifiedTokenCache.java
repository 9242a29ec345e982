package dev.jwtsession.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache of tokens that passed full verification, keyed by the exact token string.
 *
 * <p>Direct-mapped (each token has exactly one slot, chosen by its hash; a newcomer overwrites the
 * slot), so a hit costs one hash, one array read and one comparison and allocates nothing, and
 * memory is bounded by the slot count. Slots hold immutable entries published through an {@link
 * AtomicReferenceArray}, so readers need no lock. Only verified tokens enter, so junk cannot
 * pollute it; an attacker can at most evict entries, which costs a re-verification. Time claims are
 * re-checked by the caller on every hit.
 */
public final class VerifiedTokenCache {

  private static final int HASHED_CHARS = 16;

  private record Entry(String token, Verification verification) {}

  private final AtomicReferenceArray<Entry> slots;
  private final int mask;

  /** A cache of {@code capacity} slots, rounded up to a power of two; 0 disables it. */
  public VerifiedTokenCache(int capacity) {
    int size = capacity <= 0 ? 0 : Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
    if (capacity == 1) {
      size = 1;
    }
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  /** The verification cached for exactly this token, or {@code null}. */
  public @Nullable Verification get(String token) {
    return get(token, 0, token.length());
  }

  /**
   * The verification cached for the token at {@code text[start, end)}, or {@code null}; copies
   * nothing, so a hit allocates nothing.
   */
  public @Nullable Verification get(String text, int start, int end) {
    if (mask < 0) {
      return null;
    }
    Entry entry = slots.get(slot(text, start, end));
    return entry != null && constantTimeEquals(entry.token, text, start, end)
        ? entry.verification
        : null;
  }

  /** Caches a verified token, replacing whatever held its slot. */
  public void put(String token, Verification verification) {
    if (mask >= 0 && verification.verified()) {
      slots.set(slot(token, 0, token.length()), new Entry(token, verification));
    }
  }

  /** The number of slots. */
  public int capacity() {
    return slots.length();
  }

  /**
   * The slot of the token at {@code text[start, end)}, from its last {@value #HASHED_CHARS}
   * characters: the end of the signature, which a MAC or signature already spreads well, so hashing
   * the whole token would cost more and spread no better.
   */
  private int slot(String text, int start, int end) {
    int hash = 0;
    for (int i = Math.max(start, end - HASHED_CHARS); i < end; i++) {
      hash = 31 * hash + text.charAt(i);
    }
    return (hash ^ (hash >>> 16)) & mask;
  }

  /**
   * Compares without an early exit, so response timing cannot reveal how much of a cached (someone
   * else's) token a guess matched.
   */
  private static boolean constantTimeEquals(String cached, String text, int start, int end) {
    if (cached.length() != end - start) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < cached.length(); i++) {
      difference |= cached.charAt(i) ^ text.charAt(start + i);
    }
    return difference == 0;
  }
}
