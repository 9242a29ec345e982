package dev.jwtsession;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tokens handed to an API client by {@link JwtSession#issueTokens} or {@link
 * JwtSession#refreshTokens}: an access token and, when the payloads had a refresh part (always with
 * rotation on), a refresh token, with their expiry instants. {@link #toString()} never prints a
 * token.
 */
public final class TokenPair {

  private final String accessToken;
  private final Instant accessExpiresAt;
  private final @Nullable String refreshToken;
  private final @Nullable Instant refreshExpiresAt;
  private final Instant issuedAt;

  TokenPair(
      String accessToken,
      Instant accessExpiresAt,
      @Nullable String refreshToken,
      @Nullable Instant refreshExpiresAt,
      Instant issuedAt) {
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.accessExpiresAt = Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
    this.refreshToken = refreshToken;
    this.refreshExpiresAt = refreshExpiresAt;
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** The access token (compact JWS), for {@code Authorization: Bearer}. */
  public String accessToken() {
    return accessToken;
  }

  /** When the access token expires. */
  public Instant accessExpiresAt() {
    return accessExpiresAt;
  }

  /**
   * The refresh token, for {@link JwtSession#refreshTokens}; empty when none was issued (no refresh
   * payload without rotation: the client keeps its current one).
   */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** When the refresh token expires, if one was issued. */
  public Optional<Instant> refreshExpiresAt() {
    return Optional.ofNullable(refreshExpiresAt);
  }

  /**
   * How long the access token is valid from the moment the engine handed this pair out: OAuth's
   * {@code expires_in}. Never negative.
   */
  public Duration expiresIn() {
    Duration left = Duration.between(issuedAt, accessExpiresAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The expiry instants only; never a token. */
  @Override
  public String toString() {
    return "TokenPair[access expires "
        + accessExpiresAt
        + ", refresh "
        + (refreshExpiresAt == null ? "none" : "expires " + refreshExpiresAt)
        + "]";
  }
}
