package dev.jwtsession;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** {@link SessionListener#composite}: each event to every listener, each one isolated. */
final class CompositeListener implements SessionListener {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  private final List<SessionListener> listeners;

  CompositeListener(List<SessionListener> listeners) {
    this.listeners = listeners;
  }

  private void each(Consumer<SessionListener> event) {
    for (SessionListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a SessionListener threw; ignored, the others still hear", e);
      }
    }
  }

  @Override
  public void loggedIn(Claims access) {
    each(l -> l.loggedIn(access));
  }

  @Override
  public void reauthenticated(Claims access) {
    each(l -> l.reauthenticated(access));
  }

  @Override
  public void reauthRefused(Claims refresh) {
    each(l -> l.reauthRefused(refresh));
  }

  @Override
  public void rejected(TokenType type, RejectionReason reason) {
    each(l -> l.rejected(type, reason));
  }

  @Override
  public void reuseDetected(String familyId) {
    each(l -> l.reuseDetected(familyId));
  }

  @Override
  public void loggedOut(@Nullable String familyId) {
    each(l -> l.loggedOut(familyId));
  }

  @Override
  public void revoked(String subject, int families) {
    each(l -> l.revoked(subject, families));
  }

  @Override
  public String toString() {
    return "SessionListener.composite" + listeners;
  }
}
