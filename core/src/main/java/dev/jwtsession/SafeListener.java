package dev.jwtsession;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/** Keeps a listener from breaking a request: what it throws is logged and ignored. */
final class SafeListener implements SessionListener {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  private final SessionListener delegate;

  SafeListener(SessionListener delegate) {
    this.delegate = delegate;
  }

  private void run(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a SessionListener threw; ignored", e);
    }
  }

  @Override
  public void loggedIn(Claims access) {
    run(() -> delegate.loggedIn(access));
  }

  @Override
  public void reauthenticated(Claims access) {
    run(() -> delegate.reauthenticated(access));
  }

  @Override
  public void reauthRefused(Claims refresh) {
    run(() -> delegate.reauthRefused(refresh));
  }

  @Override
  public void rejected(TokenType type, RejectionReason reason) {
    run(() -> delegate.rejected(type, reason));
  }

  @Override
  public void reuseDetected(String familyId) {
    run(() -> delegate.reuseDetected(familyId));
  }

  @Override
  public void loggedOut(@Nullable String familyId) {
    run(() -> delegate.loggedOut(familyId));
  }

  @Override
  public void revoked(String subject, int families) {
    run(() -> delegate.revoked(subject, families));
  }

  @Override
  public void familyEvicted(String subject, String familyId, Eviction cause) {
    run(() -> delegate.familyEvicted(subject, familyId, cause));
  }

  @Override
  public void revocationFailed(String familyId) {
    run(() -> delegate.revocationFailed(familyId));
  }
}
