package dev.jwtsession;

import java.util.Optional;

/**
 * Re-authentication: decides, from a verified refresh token, whether the user still gets a session.
 *
 * <p>Called when the access cookie is missing or expired and the refresh cookie is valid (and, with
 * rotation on, not revoked). Return new payloads to issue a new access cookie (and a new refresh
 * cookie when a refresh payload is given, or always with rotation on), or {@link Optional#empty()}
 * to refuse: then both cookies are cleared and the request is anonymous. The handler of the same
 * request already sees the renewed session. Concurrent requests with the same refresh token share
 * one call.
 *
 * <p>A callback that throws is logged and treated like a temporary failure: the request is
 * anonymous and the refresh cookie is kept (the expired access cookie is cleared, as on every
 * request: it could never pass again).
 *
 * <pre>{@code
 * .reauth(refresh -> users.findActive(refresh.subject().orElseThrow())
 *     .map(u -> Payloads.of(Map.of("sub", u.id(), "role", u.role()), Map.of("sub", u.id()))))
 * }</pre>
 */
@FunctionalInterface
public interface Reauth {

  /**
   * Returns the payloads of the renewed session, or empty to refuse.
   *
   * @param refreshClaims the verified claims of the refresh token
   */
  Optional<Payloads> reauth(Claims refreshClaims);
}
