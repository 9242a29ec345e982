package dev.jwtsession.spi;

/**
 * The adapter's side of one HTTP response: where the engine writes {@code Set-Cookie} headers.
 *
 * <p>The engine writes the session cookies as soon as they change (re-authentication while
 * resolving, {@code login}, {@code logout}), so they are on the response before the framework
 * commits it. It calls {@link #add} for the first {@code Set-Cookie} of a cookie name in an
 * exchange and {@link #replace} for a later one, so a response never carries two for the same name.
 *
 * <p>Before the first cookie of an exchange it calls {@link #preventCaching}: a response that
 * carries session cookies must never be stored by a cache, or a shared cache would hand one user's
 * tokens to the next. {@link NoStore} says what an adapter keeps and overrides.
 */
public interface CookieSink {

  /** Whether the response headers have already been sent; then no cookie can be written. */
  boolean isCommitted();

  /** Adds one {@code Set-Cookie} header with this value. */
  void add(String setCookieHeader);

  /**
   * Replaces the {@code Set-Cookie} header previously added for {@code cookieName} by this one,
   * keeping every other {@code Set-Cookie} header of the response.
   */
  void replace(String cookieName, String setCookieHeader);

  /**
   * Makes this response uncacheable for good: sets {@code Cache-Control: no-store} now and keeps it
   * so when the application later sets another caching header in the same exchange (e.g. {@code
   * Cache-Control: public, max-age=60} on the page that logged in). Which headers are overridden,
   * and with what, is {@link NoStore#override}. Called once, before the first {@link #add}.
   */
  void preventCaching();
}
