package dev.jwtsession.spi;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The caching rule for responses that carry session cookies, written once for every adapter: such a
 * response carries {@code Cache-Control: no-store}, and caching headers the application sets later
 * in the same exchange cannot undo it.
 *
 * <p>An adapter's {@link CookieSink#preventCaching} sets {@link #HEADER}: {@link #VALUE} and from
 * then on passes every header the application writes through {@link #override}: {@code
 * Cache-Control}, and the CDN-targeted {@code CDN-Cache-Control} (RFC 9213) and {@code
 * Surrogate-Control} that a CDN would obey instead of it, all become {@code no-store}; every other
 * header passes unchanged.
 */
public final class NoStore {

  /** The header set on every response that carries a session cookie. */
  public static final String HEADER = "Cache-Control";

  /** Its value: no cache, private or shared, may store the response (RFC 9111 §5.2.2.5). */
  public static final String VALUE = "no-store";

  private NoStore() {}

  /**
   * The value to write for a header the application sets on a response that carries session
   * cookies: {@link #VALUE} for a caching header, else {@code value} unchanged.
   */
  public static @Nullable String override(String headerName, @Nullable String value) {
    return governs(headerName) ? VALUE : value;
  }

  /** Whether this header tells a cache whether to store the response. */
  public static boolean governs(String headerName) {
    String name = headerName.toLowerCase(Locale.ROOT);
    return name.equals("cache-control")
        || name.equals("cdn-cache-control")
        || name.equals("surrogate-control");
  }
}
