package dev.jwtsession.spi;

import java.time.Instant;

/**
 * Shared state behind refresh-token rotation, reuse (theft) detection and revocation.
 *
 * <p>Access tokens stay stateless; only refresh tokens have state. One <em>family</em> is one
 * login: every refresh token issued by rotating the login's first refresh token belongs to it and
 * shares its family id (the {@code sid} claim). The store keeps, per family, identifiers and
 * instants only, never a token: the subject, the jti of the newest refresh token ({@code cur}) with
 * the instant it was issued, the jti it replaced ({@code prev}), the jti before that ({@code
 * pprev}) with the instant {@code prev} was issued, the idle expiry ({@code expiresAt}) and the
 * absolute expiry. The protocol, its invariants and its time rules are written down in {@code
 * docs/rotation-protocol.md}.
 *
 * <h2>Contract every implementation keeps</h2>
 *
 * <ul>
 *   <li><b>Atomicity.</b> {@link #rotate} is linearizable per family: of any number of concurrent
 *       calls (in one JVM or on many nodes) presenting the same current jti, exactly one answers
 *       {@link RotationResult.Outcome#ROTATED}; the others see the state it wrote.
 *   <li><b>Time.</b> The engine passes {@code now}; an implementation decides everything (expiry,
 *       the grace window) against it, never against its own clock, so all nodes and tests agree.
 *       The rotation instant is stored once and handed back, so every node measures the grace
 *       window from the same instant. Implementations may additionally delete data physically
 *       (TTLs) some time after the logical expiry, with a margin larger than the clock skew.
 *   <li><b>Fail closed.</b> An unknown, expired or revoked family is answered {@link
 *       RotationResult.Outcome#REVOKED} by {@code rotate} and {@code false} by {@link #isActive}.
 *       Revoking may simply delete the family.
 *   <li><b>Failure.</b> When the backing service cannot be reached an implementation throws {@link
 *       StoreUnavailableException} within its configured timeout; it never blocks longer. The
 *       engine then keeps a renewing request anonymous with its refresh cookie kept (an expired
 *       access cookie is cleared, as always), and the access revocation check accepts the token
 *       (availability over immediacy: it is still signed and unexpired).
 *   <li><b>Bounded.</b> Nothing outlives its family's {@code expiresAt}; the subject index expires
 *       too. One subject cannot evict others: both shipped stores cap the families per subject
 *       (default 50, the subject's own oldest goes first) and report evictions to a {@code
 *       SessionListener}.
 * </ul>
 *
 * <p>Implementations: {@code InMemoryRefreshTokenStore} (one JVM) and {@code
 * RedisRefreshTokenStore} (module {@code jwt-session-redis}, many nodes). Both pass the same
 * contract test class.
 */
public interface RefreshTokenStore {

  /**
   * Records a new family at login, whose current refresh token is {@code family.jti()}.
   *
   * @throws StoreUnavailableException if the store cannot be reached
   */
  void register(FamilyRecord family);

  /**
   * Atomically decides what the presented refresh token is entitled to, before the application's
   * {@code Reauth} runs, answering one of:
   *
   * <ul>
   *   <li>{@code ROTATED}: {@code presentedJti} is {@code cur} (the newest token, so its first
   *       use): {@code successorJti} becomes {@code cur}, issued at {@code now}; the old {@code
   *       cur} becomes {@code prev}, the old {@code prev} becomes {@code pprev}.
   *   <li>{@code ALREADY_ROTATED}: {@code presentedJti} is {@code prev} (its successor {@code cur}
   *       was never presented: a lost reply or a parallel request, whatever the delay), or it is
   *       {@code pprev} and {@code now} is before the issue instant of {@code prev} plus {@code
   *       grace}. The answer carries that one successor's jti and issue instant; nothing else
   *       changes.
   *   <li>{@code REUSE_DETECTED}: any other jti of a live family (an ancestor whose successor was
   *       used, beyond the grace window, or a jti never issued): the family is revoked in the same
   *       atomic step.
   *   <li>{@code REVOKED}: the family is unknown, expired ({@code now >= expiresAt} or {@code now
   *       >= absoluteExpiry}) or revoked. A revoked family never comes back.
   * </ul>
   *
   * With {@code ROTATED} and {@code ALREADY_ROTATED} the idle expiry becomes the later of itself
   * and {@code newExpiresAt}, never after the absolute expiry.
   *
   * @throws StoreUnavailableException if the store cannot be reached
   */
  RotationResult rotate(RotationRequest request);

  /**
   * Whether the family exists, is not revoked and has not expired at {@code now}. Used by the
   * optional access-token revocation check, so implementations keep it to one cheap lookup.
   *
   * @throws StoreUnavailableException if the store cannot be reached
   */
  boolean isActive(String familyId, Instant now);

  /**
   * Revokes one family (logout). Revoking an unknown family does nothing.
   *
   * @throws StoreUnavailableException if the store cannot be reached
   */
  void revokeFamily(String familyId);

  /**
   * Revokes every family of a subject ("log out everywhere").
   *
   * @return how many live families were revoked
   * @throws StoreUnavailableException if the store cannot be reached
   */
  int revokeSubject(String subject, Instant now);
}
