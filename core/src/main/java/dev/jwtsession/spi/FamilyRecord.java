package dev.jwtsession.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A new login family as handed to {@link RefreshTokenStore#register}.
 *
 * @param familyId the family id (the tokens' {@code sid} claim), unique and unguessable
 * @param subject the login's subject ({@code sub}); the key of "log out everywhere"
 * @param jti the id of the family's first refresh token
 * @param expiresAt the idle expiry: when the first refresh token expires
 * @param absoluteExpiry the absolute expiry fixed at login, never extended by rotation
 */
public record FamilyRecord(
    String familyId, String subject, String jti, Instant expiresAt, Instant absoluteExpiry) {

  /** Checks that no component is null and that the expiries are ordered. */
  public FamilyRecord {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(absoluteExpiry, "absoluteExpiry");
    if (expiresAt.isAfter(absoluteExpiry)) {
      throw new IllegalArgumentException("expiresAt must not be after absoluteExpiry");
    }
  }
}
