package dev.jwtsession;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SessionListener}: writes each event to the {@code System.Logger} named {@code
 * dev.jwtsession}. Rejected cookies go to {@code DEBUG} (clients send junk, and a flood must not
 * flood the log), a refused reauth to {@code INFO}, reuse detection and an unreachable store to
 * {@code WARNING}. It logs family ids and reasons, never tokens, secrets or claim values.
 */
public final class LoggingListener implements SessionListener {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  @Override
  public void loggedIn(Claims access) {
    LOG.log(Level.DEBUG, () -> "login, family " + access.familyId().orElse("-"));
  }

  @Override
  public void reauthenticated(Claims access) {
    LOG.log(
        Level.DEBUG,
        () ->
            "reauthenticated, family "
                + access.familyId().orElse("-")
                + ", refresh #"
                + access.refreshCount());
  }

  @Override
  public void reauthRefused(Claims refresh) {
    LOG.log(
        Level.INFO,
        () -> "reauth refused by the application, family " + refresh.familyId().orElse("-"));
  }

  @Override
  public void rejected(TokenType type, RejectionReason reason) {
    Level level =
        reason == RejectionReason.STORE_UNAVAILABLE || reason == RejectionReason.REAUTH_FAILED
            ? Level.WARNING
            : Level.DEBUG;
    LOG.log(
        level,
        () -> type.name().toLowerCase(java.util.Locale.ROOT) + " cookie rejected: " + reason);
  }

  @Override
  public void reuseDetected(String familyId) {
    LOG.log(
        Level.WARNING,
        () ->
            "refresh token reuse detected, family "
                + familyId
                + " revoked (a copy of the refresh cookie was used after it had been rotated)");
  }

  @Override
  public void loggedOut(@Nullable String familyId) {
    LOG.log(Level.DEBUG, () -> "logout, family " + (familyId == null ? "-" : familyId));
  }

  @Override
  public void revoked(String subject, int families) {
    LOG.log(
        Level.INFO,
        () ->
            "revoked "
                + families
                + " session famil"
                + (families == 1 ? "y" : "ies")
                + " of a subject");
  }

  /** Names the family and the cause, never the subject (it may be personal data). */
  @Override
  public void familyEvicted(String subject, String familyId, Eviction cause) {
    LOG.log(
        Level.INFO,
        () ->
            "evicted session family "
                + familyId
                + (cause == Eviction.SUBJECT_CAP
                    ? ": its subject reached the per-subject cap"
                    : ": the store is full"));
  }
}
