package dev.jwtsession.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rotation attempt, as handed to {@link RefreshTokenStore#rotate} before the application's
 * {@code Reauth} runs: the store decides first, the engine signs afterwards. Nothing here is a
 * token; the store never holds one.
 *
 * @param familyId the family of the presented refresh token
 * @param presentedJti the jti of the refresh token the client presented
 * @param successorJti the jti of the refresh token that replaces it if this attempt rotates
 * @param now the engine's current time, the one time source of every decision the store makes
 *     (nodes' clocks are assumed to agree within the bound documented in {@code
 *     docs/rotation-protocol.md})
 * @param grace how long after a rotation an ancestor whose successor was already used is still
 *     answered with that successor instead of being treated as theft
 * @param newExpiresAt the family's idle expiry after this call (never after its absolute expiry);
 *     it only ever moves the idle expiry later
 */
public record RotationRequest(
    String familyId,
    String presentedJti,
    String successorJti,
    Instant now,
    Duration grace,
    Instant newExpiresAt) {

  /** Checks that no component is null. */
  public RotationRequest {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(presentedJti, "presentedJti");
    Objects.requireNonNull(successorJti, "successorJti");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(newExpiresAt, "newExpiresAt");
  }
}
