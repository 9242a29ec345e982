package dev.jwtsession.internal;

import dev.jwtsession.Claims;
import dev.jwtsession.RejectionReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking a token's form and signature: either verified claims with their time
 * bounds pre-extracted (so the per-request time check is a few comparisons), or a rejection reason.
 * Rejections are shared constants: refusing junk allocates nothing.
 */
public final class Verification {

  /** Marks an absent optional time claim. */
  static final long NONE = Long.MIN_VALUE;

  private static final Map<RejectionReason, Verification> REJECTIONS =
      new EnumMap<>(RejectionReason.class);

  static {
    for (RejectionReason reason : RejectionReason.values()) {
      REJECTIONS.put(reason, new Verification(null, reason, 0, NONE, NONE, NONE));
    }
  }

  private final @Nullable Claims claims;
  private final @Nullable RejectionReason rejection;
  final long expMillis;
  final long nbfMillis;
  final long iatMillis;
  final long aexMillis;

  Verification(
      @Nullable Claims claims,
      @Nullable RejectionReason rejection,
      long expMillis,
      long nbfMillis,
      long iatMillis,
      long aexMillis) {
    this.claims = claims;
    this.rejection = rejection;
    this.expMillis = expMillis;
    this.nbfMillis = nbfMillis;
    this.iatMillis = iatMillis;
    this.aexMillis = aexMillis;
  }

  /** The shared rejection for {@code reason}. */
  public static Verification rejected(RejectionReason reason) {
    return Objects.requireNonNull(REJECTIONS.get(reason));
  }

  /** Whether form and signature were verified. */
  public boolean verified() {
    return rejection == null;
  }

  /** The verified claims; only when {@link #verified()}. */
  public Claims claims() {
    return Objects.requireNonNull(claims, "not verified: " + rejection);
  }

  /** Why the token was refused; {@code null} when verified. */
  public RejectionReason rejection() {
    return Objects.requireNonNull(rejection, "verified: there is no rejection");
  }

  /** The {@code exp} claim in epoch milliseconds. */
  public long expMillis() {
    return expMillis;
  }

  /**
   * The {@code aex} claim (absolute expiry of the login) in epoch milliseconds, or {@code NONE}.
   */
  public long aexMillis() {
    return aexMillis;
  }
}
