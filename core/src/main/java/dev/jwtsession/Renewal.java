package dev.jwtsession;

import dev.jwtsession.internal.TokenCodec.Issued;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The outcome of one renewal, shared by every request that carried the same refresh token. */
final class Renewal {
  /** Renewed: new tokens; ended: cookies cleared; unavailable: try again later, cookies kept. */
  enum Kind {
    RENEWED,
    ENDED,
    UNAVAILABLE
  }

  static final Renewal ENDED_RESULT = new Renewal(Kind.ENDED, null, null, 0);

  /** Ended because a rotated refresh token came back after the grace window. */
  static final Renewal REUSE_DETECTED_RESULT = new Renewal(Kind.ENDED, null, null, 0);

  static final Renewal UNAVAILABLE_RESULT = new Renewal(Kind.UNAVAILABLE, null, null, 0);

  final Kind kind;
  private final @Nullable Issued access;
  final @Nullable Issued refresh;
  final long reusableUntil;

  private Renewal(
      Kind kind, @Nullable Issued access, @Nullable Issued refresh, long reusableUntil) {
    this.kind = kind;
    this.access = access;
    this.refresh = refresh;
    this.reusableUntil = reusableUntil;
  }

  /** Why an ended renewal ended, for API clients: reuse detected, else revoked. */
  RejectionReason endReason() {
    return this == REUSE_DETECTED_RESULT ? RejectionReason.REUSE_DETECTED : RejectionReason.REVOKED;
  }

  /** The new access token; only for {@link Kind#RENEWED}. */
  Issued access() {
    return Objects.requireNonNull(access, "not renewed");
  }

  static Renewal renewed(Issued access, @Nullable Issued refresh, long reusableUntil) {
    return new Renewal(Kind.RENEWED, access, refresh, reusableUntil);
  }
}
