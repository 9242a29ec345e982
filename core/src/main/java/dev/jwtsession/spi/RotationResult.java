package dev.jwtsession.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link RefreshTokenStore#rotate}.
 *
 * @param outcome what happened
 * @param successorJti for {@link Outcome#ALREADY_ROTATED} the jti of the one successor the
 *     presented token was rotated to; {@code null} otherwise
 * @param rotatedAt for {@link Outcome#ALREADY_ROTATED} the instant that successor was issued (the
 *     rotation instant, as stored once for all nodes); {@code null} otherwise
 */
public record RotationResult(
    Outcome outcome, @Nullable String successorJti, @Nullable Instant rotatedAt) {

  /** What a rotation attempt found. */
  public enum Outcome {
    /** The presented token was current; its successor is now the request's successor jti. */
    ROTATED,
    /**
     * The presented token was already rotated and is still entitled to its one successor: that
     * successor has never been presented (a lost reply, or a parallel request), or it was presented
     * less than the grace window after it was issued. The caller issues tokens for {@link
     * RotationResult#successorJti()}; nothing is revoked.
     */
    ALREADY_ROTATED,
    /**
     * The presented token is an ancestor whose successor was already used (beyond the grace
     * window), or a jti the family never issued: theft. The family has been revoked.
     */
    REUSE_DETECTED,
    /** The family is unknown, expired or revoked. */
    REVOKED
  }

  private static final RotationResult ROTATED = new RotationResult(Outcome.ROTATED, null, null);
  private static final RotationResult REUSE_DETECTED =
      new RotationResult(Outcome.REUSE_DETECTED, null, null);
  private static final RotationResult REVOKED = new RotationResult(Outcome.REVOKED, null, null);

  /** Checks that successor and instant are present exactly for {@link Outcome#ALREADY_ROTATED}. */
  public RotationResult {
    Objects.requireNonNull(outcome, "outcome");
    boolean already = outcome == Outcome.ALREADY_ROTATED;
    if (already != (successorJti != null) || already != (rotatedAt != null)) {
      throw new IllegalArgumentException(
          "a successor jti and its rotation instant go with ALREADY_ROTATED and only with it");
    }
  }

  /** The presented token was current and is now rotated. */
  public static RotationResult rotated() {
    return ROTATED;
  }

  /** The presented token was rotated to {@code successorJti} at {@code rotatedAt}. */
  public static RotationResult alreadyRotated(String successorJti, Instant rotatedAt) {
    return new RotationResult(
        Outcome.ALREADY_ROTATED,
        Objects.requireNonNull(successorJti, "successorJti"),
        Objects.requireNonNull(rotatedAt, "rotatedAt"));
  }

  /** Reuse detected; the family has been revoked. */
  public static RotationResult reuseDetected() {
    return REUSE_DETECTED;
  }

  /** Unknown, expired or revoked family. */
  public static RotationResult revoked() {
    return REVOKED;
  }

  /** Names the outcome and the rotation instant only; never a jti. */
  @Override
  public String toString() {
    return "RotationResult["
        + outcome
        + (rotatedAt == null ? "" : ", rotatedAt=" + rotatedAt)
        + "]";
  }

  /** The successor jti, present only for {@link Outcome#ALREADY_ROTATED}. */
  public Optional<String> successorIfAny() {
    return Optional.ofNullable(successorJti);
  }
}
