package dev.jwtsession;

import dev.jwtsession.internal.TokenCodec.Issued;

/** The outcome of one renewal, shared by every request that carried the same refresh token. */
final class Renewal {
  /** Renewed: new tokens; ended: cookies cleared; unavailable: try again later, cookies kept. */
  enum Kind {
    RENEWED,
    ENDED,
    UNAVAILABLE
  }

  static final Renewal ENDED_RESULT = new Renewal(Kind.ENDED, null, null, 0);
  static final Renewal UNAVAILABLE_RESULT = new Renewal(Kind.UNAVAILABLE, null, null, 0);

  final Kind kind;
  final Issued access;
  final Issued refresh;
  final long reusableUntil;

  private Renewal(Kind kind, Issued access, Issued refresh, long reusableUntil) {
    this.kind = kind;
    this.access = access;
    this.refresh = refresh;
    this.reusableUntil = reusableUntil;
  }

  static Renewal renewed(Issued access, Issued refresh, long reusableUntil) {
    return new Renewal(Kind.RENEWED, access, refresh, reusableUntil);
  }
}
