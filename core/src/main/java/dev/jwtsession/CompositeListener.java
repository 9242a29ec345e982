package dev.jwtsession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Tells several listeners, in order; each is wrapped in a {@link SafeListener}, so one that throws
 * never keeps the others from hearing the event.
 */
final class CompositeListener implements SessionListener {

  private final List<SessionListener> listeners;

  CompositeListener(List<SessionListener> listeners) {
    List<SessionListener> safe = new ArrayList<>(listeners.size());
    for (SessionListener listener : listeners) {
      safe.add(new SafeListener(listener));
    }
    this.listeners = List.copyOf(safe);
  }

  private void each(Consumer<SessionListener> call) {
    for (SessionListener listener : listeners) {
      call.accept(listener);
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
  public void familyEvicted(String subject, String familyId, Eviction cause) {
    each(l -> l.familyEvicted(subject, familyId, cause));
  }

  @Override
  public void revocationFailed(String familyId) {
    each(l -> l.revocationFailed(familyId));
  }

  @Override
  public String toString() {
    return "SessionListener.composite" + listeners;
  }
}
