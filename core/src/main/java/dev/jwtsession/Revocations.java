package dev.jwtsession;

import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.StoreUnavailableException;
import java.lang.System.Logger.Level;

/**
 * The one way the engine revokes a login family: ask the store, and when it cannot (unreachable, or
 * a durable write not confirmed) say so in the log and to the listener instead of throwing, for
 * logout, API logout, a login replacing a session and a refused {@link Reauth} alike.
 */
final class Revocations {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  private Revocations() {}

  /**
   * Revokes {@code family}; returns whether the store did. {@code what} names the caller in the log
   * line ("logout", ...); the line names the family id, never a token.
   */
  static boolean revoke(
      RefreshTokenStore store, String family, SessionListener listener, String what) {
    try {
      store.revokeFamily(family);
      return true;
    } catch (RuntimeException e) { // StoreUnavailableException, or a broken store
      String line =
          what
              + " could not revoke family "
              + family
              + " (store unavailable): a copy of its refresh token stays valid until it expires";
      if (e instanceof StoreUnavailableException) {
        LOG.log(Level.WARNING, line);
      } else {
        LOG.log(Level.WARNING, line, e); // a store bug: keep its stack trace
      }
      listener.revocationFailed(family);
      return false;
    }
  }
}
