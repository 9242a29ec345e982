package dev.jwtsession.benchmarks;

import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The part of {@link LoadServer} that uses our engine: the {@code /session/*} filter and the cookie
 * headers that drive it into each load case. Everything engine-specific lives here, so the rest of
 * the server does not change when the engine's API does.
 *
 * <p>Until the engine and its servlet filter exist, {@link #install} installs nothing and returns
 * {@code false}: {@code /session/hello} then answers 503 and {@code load.sh} skips the session cases.
 */
final class SessionWiring {

  /** Keys of {@link #cookieHeaders()}: the load cases of {@code load.sh}. */
  static final String VALID = "VALID";

  static final String REAUTH = "REAUTH";

  private SessionWiring() {}

  /**
   * Puts the engine's filter in front of {@code /session/*} and binds the authenticated subject for
   * the servlet. Returns whether the engine is wired.
   */
  static boolean install(ServletContextHandler context) {
    return false;
  }

  /** The subject of the current request's session, or {@code null} when anonymous. */
  static String subject(jakarta.servlet.http.HttpServletRequest request) {
    return null;
  }

  /**
   * {@code Cookie} header values for the engine: {@link #VALID} (a valid access cookie) and {@link
   * #REAUTH} (an expired access and a valid refresh cookie), minted in the engine's own format.
   */
  static Map<String, String> cookieHeaders() {
    return Map.of();
  }
}
