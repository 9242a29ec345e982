package dev.jwtsession.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rotation attempt, as handed to {@link RefreshTokenStore#rotate}.
 *
 * @param familyId the family of the presented refresh token
 * @param presentedJti the jti of the refresh token the client presented
 * @param successorJti the jti of the refresh token that replaces it if this attempt wins
 * @param successor opaque text the store keeps beside the predecessor for {@code grace}, handed to
 *     late arrivals so they answer with the same tokens (the engine stores the signed successor
 *     pair)
 * @param now the engine's current time; every expiry is decided against it
 * @param grace how long after the rotation the predecessor is still answered with the successor
 * @param newExpiresAt the family's idle expiry after a successful rotation (never after its
 *     absolute expiry)
 */
public record RotationRequest(
    String familyId,
    String presentedJti,
    String successorJti,
    String successor,
    Instant now,
    Duration grace,
    Instant newExpiresAt) {

  /** Checks that no component is null. */
  public RotationRequest {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(presentedJti, "presentedJti");
    Objects.requireNonNull(successorJti, "successorJti");
    Objects.requireNonNull(successor, "successor");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(newExpiresAt, "newExpiresAt");
  }
}
