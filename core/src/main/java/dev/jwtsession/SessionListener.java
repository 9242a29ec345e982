package dev.jwtsession;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hears what happens to sessions: for audit logs, metrics and alerts. Every method has an empty
 * default. Arguments never include a token; claims are the verified ones.
 *
 * <p>A listener cannot break a request: an exception it throws is logged and ignored. Listeners run
 * on the request thread, so keep them fast. The default listener is {@link LoggingListener}.
 */
public interface SessionListener {

  /**
   * One listener that tells each of {@code listeners}, in the order given. A listener that throws
   * is logged and skipped: the ones after it still hear the event.
   *
   * @throws NullPointerException if {@code listeners} or one of them is null
   */
  static SessionListener composite(SessionListener... listeners) {
    Objects.requireNonNull(listeners, "listeners");
    List<SessionListener> all = List.of(listeners); // rejects null elements
    return new CompositeListener(all);
  }

  /** A handler called {@code session.login(...)}. */
  default void loggedIn(Claims access) {}

  /** An expired or missing access token was renewed from a valid refresh token. */
  default void reauthenticated(Claims access) {}

  /** The {@link Reauth} callback refused; both cookies are cleared. */
  default void reauthRefused(Claims refresh) {}

  /**
   * A cookie was not accepted; the session is anonymous for it and the cookie is cleared or kept.
   */
  default void rejected(TokenType type, RejectionReason reason) {}

  /** A rotated refresh token was used again after the grace window: the family has been revoked. */
  default void reuseDetected(String familyId) {}

  /**
   * A handler called {@code session.logout()}.
   *
   * @param familyId the family that was revoked, or {@code null} when there was none
   */
  default void loggedOut(@Nullable String familyId) {}

  /** Every session of a subject was revoked ("log out everywhere"). */
  default void revoked(String subject, int families) {}

  /**
   * A store evicted a live family to stay within its bounds; that login must sign in again.
   *
   * @param subject the family's subject
   * @param familyId the evicted family
   * @param cause which bound made room
   */
  default void familyEvicted(String subject, String familyId, Eviction cause) {}

  /**
   * A login family could not be revoked: the store was unreachable, or did not confirm the
   * revocation as durable (Redis {@code durableWrites}). Its refresh token, and any copy of it,
   * stays valid until it expires. Heard for a logout ({@link Session#logout} then returns {@code
   * false}), an API logout ({@link JwtSession#revokeRefreshToken}), a login replacing a session,
   * and a refused {@link Reauth}. Retrying the logout revokes it once the store answers.
   *
   * @param familyId the family that is still valid
   */
  default void revocationFailed(String familyId) {}

  /** Why a store evicted a live family. */
  enum Eviction {
    /**
     * The subject reached its cap on live families: its own oldest family made room for its new
     * login.
     */
    SUBJECT_CAP,
    /**
     * The store reached its global bound: the subject holding the most families lost its oldest
     * (when every subject holds one, the family expiring soonest went).
     */
    STORE_FULL
  }
}
