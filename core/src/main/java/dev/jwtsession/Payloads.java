package dev.jwtsession;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The claims to sign into the access token and, optionally, the refresh token: the seed's {@code
 * {accessPayload, refreshPayload}}.
 *
 * <p>Values may be {@code String}, {@code Number}, {@code Boolean}, {@code List} and {@code Map} of
 * those. jwt-session sets {@code iat}, {@code exp}, {@code nbf}, {@code jti}, {@code sid}, {@code
 * rot} and {@code aex} itself (and {@code iss}/{@code aud} when configured): a payload that sets
 * one of them is refused with an {@link IllegalArgumentException}.
 *
 * @param access the access-token claims, for example {@code Map.of("sub", "j@doe", "role",
 *     "admin")}
 * @param refresh the refresh-token claims, or {@code null} to issue no refresh token (and, in a
 *     {@link Reauth}, to keep the current one when rotation is off)
 */
public record Payloads(Map<String, Object> access, @Nullable Map<String, Object> refresh) {

  /** Copies both maps (a {@code null} refresh stays {@code null}). */
  public Payloads {
    access = Map.copyOf(Objects.requireNonNull(access, "access payload"));
    refresh = refresh == null ? null : Map.copyOf(refresh);
  }

  /** An access payload and a refresh payload. */
  public static Payloads of(Map<String, ?> access, Map<String, ?> refresh) {
    return new Payloads(copy(access), copy(Objects.requireNonNull(refresh, "refresh payload")));
  }

  /**
   * An access payload only: no refresh token is issued (or, in a reauth, the current one is kept).
   */
  public static Payloads accessOnly(Map<String, ?> access) {
    return new Payloads(copy(access), null);
  }

  /** The refresh payload, if one was given. */
  public Optional<Map<String, Object>> refreshIfAny() {
    return Optional.ofNullable(refresh);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, ?> map) {
    return (Map<String, Object>) Map.copyOf(Objects.requireNonNull(map, "payload"));
  }

  /** Names the claims only, never their values. */
  @Override
  public String toString() {
    return "Payloads[access="
        + access.keySet()
        + ", refresh="
        + (refresh == null ? "none" : refresh.keySet())
        + "]";
  }
}
