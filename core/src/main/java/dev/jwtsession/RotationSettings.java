package dev.jwtsession;

import dev.jwtsession.internal.Problems;
import dev.jwtsession.spi.RefreshTokenStore;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Refresh-token rotation, reuse detection and revocation. Immutable; built through {@link
 * JwtSession.Builder#rotation}.
 *
 * <p>With rotation on, every re-authentication issues a new refresh token and records it in the
 * {@link RefreshTokenStore}; presenting an already rotated refresh token after the grace window is
 * treated as theft and revokes the whole login (the family). {@code session.logout()} revokes the
 * family, and {@link JwtSession#revokeAllSessions} revokes every family of a subject.
 */
public final class RotationSettings {

  /** Default grace window: {@value #DEFAULT_GRACE_SECONDS} seconds. */
  public static final long DEFAULT_GRACE_SECONDS = 5;

  private final RefreshTokenStore store;
  private final Duration reuseGrace;
  private final @Nullable Duration absoluteLifetime;
  private final boolean checkAccessRevocation;

  private RotationSettings(
      RefreshTokenStore store,
      Duration reuseGrace,
      @Nullable Duration absoluteLifetime,
      boolean checkAccessRevocation) {
    this.store = store;
    this.reuseGrace = reuseGrace;
    this.absoluteLifetime = absoluteLifetime;
    this.checkAccessRevocation = checkAccessRevocation;
  }

  /** The store that holds the families. */
  public RefreshTokenStore store() {
    return store;
  }

  /** How long a rotated refresh token is still answered with its successor. */
  public Duration reuseGrace() {
    return reuseGrace;
  }

  /** The absolute lifetime of a login; {@code null} means the refresh {@code maxAge}. */
  @Nullable Duration absoluteLifetimeOrNull() {
    return absoluteLifetime;
  }

  /** Whether every access token is also checked against the store. */
  public boolean checkAccessRevocation() {
    return checkAccessRevocation;
  }

  @Override
  public String toString() {
    return "RotationSettings[store="
        + store.getClass().getSimpleName()
        + ", reuseGrace="
        + reuseGrace
        + ", absoluteLifetime="
        + (absoluteLifetime == null ? "refresh maxAge" : absoluteLifetime)
        + ", checkAccessRevocation="
        + checkAccessRevocation
        + "]";
  }

  /** Builds rotation settings; every setting has a default. */
  public static final class Builder {

    private final Problems problems;
    private @Nullable RefreshTokenStore store;
    private Duration reuseGrace = Duration.ofSeconds(DEFAULT_GRACE_SECONDS);
    private @Nullable Duration absoluteLifetime;
    private boolean checkAccessRevocation;

    Builder(Problems problems) {
      this.problems = problems;
    }

    /**
     * Where families live; default a new {@link InMemoryRefreshTokenStore}, right for one JVM. Use
     * the Redis store ({@code jwt-session-redis}) when running several nodes.
     */
    public Builder store(RefreshTokenStore store) {
      problems.once("rotation.store");
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How long after a rotation the old refresh token is still answered with the same successor;
     * default {@value RotationSettings#DEFAULT_GRACE_SECONDS} seconds. It absorbs the requests a
     * page fires in parallel (and a slow network's stragglers) that all carried the old cookie, so
     * none of them raises a false theft alarm; a thief replaying a stolen token typically comes
     * much later. <b>Security:</b> within the window a stolen, already rotated token still yields
     * the successor; keep it to seconds.
     */
    public Builder reuseGrace(Duration reuseGrace) {
      problems.once("rotation.reuseGrace");
      this.reuseGrace = Objects.requireNonNull(reuseGrace, "reuseGrace");
      return this;
    }

    /**
     * The absolute lifetime of a login, fixed at login and never extended by rotation; default the
     * refresh {@code maxAge}. The idle timeout is the refresh {@code maxAge}, renewed on each
     * rotation.
     */
    public Builder absoluteLifetime(Duration absoluteLifetime) {
      problems.once("rotation.absoluteLifetime");
      this.absoluteLifetime = Objects.requireNonNull(absoluteLifetime, "absoluteLifetime");
      return this;
    }

    /**
     * Whether every access token is checked against the store, so a logout or "log out everywhere"
     * ends sessions at once instead of when the access token expires; default {@code false}. It
     * costs one store lookup per request (a map lookup in memory, a round trip with Redis); when
     * the store cannot be reached the access token is accepted (availability over immediacy) and
     * listeners hear {@code STORE_UNAVAILABLE}.
     */
    public Builder checkAccessRevocation(boolean checkAccessRevocation) {
      problems.once("rotation.checkAccessRevocation");
      this.checkAccessRevocation = checkAccessRevocation;
      return this;
    }

    /**
     * @param listener the engine's listener, which the default in-memory store reports evictions to
     */
    RotationSettings build(SessionListener listener) {
      if (reuseGrace.isNegative() || reuseGrace.compareTo(Duration.ofMinutes(5)) > 0) {
        problems.add(
            "rotation.reuseGrace",
            "is " + reuseGrace + "; it must be between 0 and 5 minutes",
            "Keep it to a few seconds, e.g. Duration.ofSeconds(5)");
      }
      if (absoluteLifetime != null && absoluteLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
        problems.add(
            "rotation.absoluteLifetime",
            "is " + absoluteLifetime + "; it must be positive",
            "Use a positive duration, e.g. Duration.ofDays(30)");
      }
      return new RotationSettings(
          store == null ? InMemoryRefreshTokenStore.builder().listener(listener).build() : store,
          reuseGrace,
          absoluteLifetime,
          checkAccessRevocation);
    }
  }
}
