package dev.jwtsession.spi;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link RefreshTokenStore#rotate}.
 *
 * @param outcome what happened
 * @param successor for {@link Outcome#REUSED_WITHIN_GRACE} the successor stored by the winning
 *     rotation; {@code null} otherwise
 */
public record RotationResult(Outcome outcome, @Nullable String successor) {

  /** What a rotation attempt found. */
  public enum Outcome {
    /** The presented token was current and has been replaced by the successor. */
    ROTATED,
    /** The presented token was rotated less than the grace window ago; use the stored successor. */
    REUSED_WITHIN_GRACE,
    /** The presented token was already used (theft): the family has been revoked. */
    REUSE_DETECTED,
    /** The family is unknown, expired or revoked. */
    REVOKED
  }

  private static final RotationResult ROTATED = new RotationResult(Outcome.ROTATED, null);
  private static final RotationResult REUSE_DETECTED =
      new RotationResult(Outcome.REUSE_DETECTED, null);
  private static final RotationResult REVOKED = new RotationResult(Outcome.REVOKED, null);

  /** Checks that a successor is present exactly for {@link Outcome#REUSED_WITHIN_GRACE}. */
  public RotationResult {
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == Outcome.REUSED_WITHIN_GRACE) != (successor != null)) {
      throw new IllegalArgumentException(
          "a successor goes with REUSED_WITHIN_GRACE and only with it");
    }
  }

  /** The presented token was current and is now rotated. */
  public static RotationResult rotated() {
    return ROTATED;
  }

  /**
   * The presented token was rotated within the grace window; late arrivals get {@code successor}.
   */
  public static RotationResult reusedWithinGrace(String successor) {
    return new RotationResult(Outcome.REUSED_WITHIN_GRACE, Objects.requireNonNull(successor));
  }

  /** Reuse detected; the family has been revoked. */
  public static RotationResult reuseDetected() {
    return REUSE_DETECTED;
  }

  /** Unknown, expired or revoked family. */
  public static RotationResult revoked() {
    return REVOKED;
  }

  /** The stored successor, present only for {@link Outcome#REUSED_WITHIN_GRACE}. */
  public Optional<String> successorIfAny() {
    return Optional.ofNullable(successor);
  }
}
