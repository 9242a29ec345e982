package dev.jwtsession;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link JwtSession#refreshTokens}: {@link Outcome#RENEWED} with the new {@link
 * TokenPair}, {@link Outcome#REFUSED} with the reason (the client must log in again), or {@link
 * Outcome#UNAVAILABLE} (the store could not be reached or the {@code Reauth} failed: try again
 * later with the same refresh token). Never holds a token in {@link #toString()}.
 */
public final class RefreshResult {

  /** What a refresh came to. */
  public enum Outcome {
    /** New tokens: {@link #tokens()}. */
    RENEWED,
    /** Refused for good: {@link #reason()}. OAuth's {@code invalid_grant}. */
    REFUSED,
    /** Not now: the store is unreachable or the {@code Reauth} failed. */
    UNAVAILABLE
  }

  private static final RefreshResult UNAVAILABLE_RESULT =
      new RefreshResult(Outcome.UNAVAILABLE, null, null);

  private final Outcome outcome;
  private final @Nullable TokenPair tokens;
  private final @Nullable RejectionReason reason;

  private RefreshResult(
      Outcome outcome, @Nullable TokenPair tokens, @Nullable RejectionReason reason) {
    this.outcome = outcome;
    this.tokens = tokens;
    this.reason = reason;
  }

  static RefreshResult renewed(TokenPair tokens) {
    return new RefreshResult(Outcome.RENEWED, Objects.requireNonNull(tokens), null);
  }

  static RefreshResult refused(RejectionReason reason) {
    return new RefreshResult(Outcome.REFUSED, null, Objects.requireNonNull(reason));
  }

  static RefreshResult unavailable() {
    return UNAVAILABLE_RESULT;
  }

  /** What happened. */
  public Outcome outcome() {
    return outcome;
  }

  /** The new tokens; present exactly for {@link Outcome#RENEWED}. */
  public Optional<TokenPair> tokens() {
    return Optional.ofNullable(tokens);
  }

  /**
   * Why the refresh token was refused; present exactly for {@link Outcome#REFUSED}. A refusal by
   * the application's {@code Reauth} is {@link RejectionReason#REVOKED} (the family is revoked).
   */
  public Optional<RejectionReason> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case RENEWED -> "RefreshResult[RENEWED, " + tokens + "]";
      case REFUSED -> "RefreshResult[REFUSED, " + reason + "]";
      case UNAVAILABLE -> "RefreshResult[UNAVAILABLE]";
    };
  }
}
