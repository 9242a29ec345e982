package dev.jwtsession.spi;

import java.time.Instant;

/**
 * Shared state behind refresh-token rotation, reuse (theft) detection and revocation.
 *
 * <p>Access tokens stay stateless; only refresh tokens have state. One <em>family</em> is one
 * login: every refresh token issued by rotating the login's first refresh token belongs to it and
 * shares its family id (the {@code sid} claim). The store keeps, per family: the subject, the jti
 * of the current refresh token, the jti of its predecessor with the moment it was rotated and the
 * opaque successor the engine stored for it, the idle expiry ({@code expiresAt}) and the absolute
 * expiry.
 *
 * <h2>Contract every implementation keeps</h2>
 *
 * <ul>
 *   <li><b>Atomicity.</b> {@link #rotate} is linearizable per family: of any number of concurrent
 *       calls (in one JVM or on many nodes) presenting the same current jti, exactly one answers
 *       {@link RotationResult.Outcome#ROTATED}; the others see the state it wrote.
 *   <li><b>Time.</b> The engine passes {@code now}; an implementation decides every expiry against
 *       it, never against its own clock, so all nodes and tests agree. Implementations may
 *       additionally expire data physically (TTLs) some time after the logical expiry.
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
   * Atomically rotates a family's refresh token, answering one of:
   *
   * <ul>
   *   <li>{@code ROTATED}: {@code presentedJti} was the current jti; now {@code successorJti} is,
   *       {@code presentedJti} becomes the predecessor with {@code successor} stored beside it and
   *       {@code rotatedAt = now}; the family's {@code expiresAt} becomes {@code newExpiresAt}.
   *   <li>{@code REUSED_WITHIN_GRACE}: {@code presentedJti} is the predecessor and {@code now <
   *       rotatedAt + grace}: nothing changes and the answer carries the successor that the winning
   *       rotation stored, so the caller hands out the very same tokens.
   *   <li>{@code REUSE_DETECTED}: any other jti of a live family (an older one, or the predecessor
   *       after the grace window): the family is revoked in the same atomic step.
   *   <li>{@code REVOKED}: the family is unknown, expired ({@code now >= expiresAt} or {@code now
   *       >= absoluteExpiry}) or revoked.
   * </ul>
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
