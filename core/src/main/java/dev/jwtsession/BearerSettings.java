package dev.jwtsession;

import dev.jwtsession.internal.Problems;

/**
 * Whether API clients may present the access token in an {@code Authorization: Bearer} header (RFC
 * 6750 §2.1) instead of cookies. Off by default: cookies only.
 *
 * <p>With it on, a request whose {@code Authorization} header has the scheme {@code Bearer}
 * (case-insensitive) is decided by that header alone: cookies are not read, renewed or cleared, no
 * {@code Set-Cookie} is written and no re-authentication happens (an expired bearer token is simply
 * anonymous; the client renews through {@link JwtSession#refreshTokens}). Adapters skip the
 * cross-site check for such requests: a cross-site form cannot set the header, and a cross-origin
 * {@code fetch} with it is preflighted. Every other request keeps the cookie behaviour.
 *
 * <p><b>Security:</b> a bearer token kept in browser JavaScript storage is readable by any injected
 * script, where an {@code HttpOnly} cookie is not. Turn it on for native, CLI and service clients;
 * serve browsers with cookies (or a backend-for-frontend).
 */
public final class BearerSettings {

  static final BearerSettings OFF = new BearerSettings(false);

  private final boolean enabled;

  private BearerSettings(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether {@code Authorization: Bearer} is read. */
  public boolean enabled() {
    return enabled;
  }

  @Override
  public String toString() {
    return "bearer=" + (enabled ? "on" : "off");
  }

  /** Configures {@link BearerSettings}; see {@link JwtSession.Builder#bearer}. */
  public static final class Builder {

    private final Problems problems;
    private boolean enabled;

    Builder(Problems problems) {
      this.problems = problems;
    }

    /** Reads {@code Authorization: Bearer} when {@code true}; default {@code false}. */
    public Builder enabled(boolean enabled) {
      problems.once("bearer.enabled");
      this.enabled = enabled;
      return this;
    }

    BearerSettings build() {
      return enabled ? new BearerSettings(true) : OFF;
    }
  }
}
