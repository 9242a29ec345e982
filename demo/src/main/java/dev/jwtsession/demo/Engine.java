package dev.jwtsession.demo;

import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Payloads;
import dev.jwtsession.spi.RefreshTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds the demo's {@link JwtSession} from its configuration. */
final class Engine {

  /** Which environment variable feeds each builder setting, to point the user at the right one. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "access.secret", DemoConfig.ACCESS_SECRET,
          "refresh.secret", DemoConfig.REFRESH_SECRET,
          "access.cookieName", DemoConfig.ACCESS_COOKIE,
          "refresh.cookieName", DemoConfig.REFRESH_COOKIE,
          "access.maxAge", DemoConfig.ACCESS_MAX_AGE,
          "refresh.maxAge", DemoConfig.REFRESH_MAX_AGE,
          "rotation.reuseGrace", DemoConfig.REUSE_GRACE_SECONDS);

  private Engine() {}

  /**
   * The engine: rotation on with access revocation checks (so "log out everywhere" ends other
   * browsers' sessions on their next request), and a reauth that re-issues both tokens from the
   * refresh claims as long as the user still exists.
   *
   * @throws IllegalArgumentException with the builder's message, each problem followed by the
   *     variable that set it
   */
  static JwtSession build(DemoConfig config, Users users, Clock clock, RefreshTokenStore store) {
    try {
      return JwtSession.builder()
          .access(
              t ->
                  t.cookieName(config.accessCookie())
                      .maxAge(config.accessMaxAge())
                      .secret(config.accessSecret())
                      .secure(config.secureCookies()))
          .refresh(
              t ->
                  t.cookieName(config.refreshCookie())
                      .maxAge(config.refreshMaxAge())
                      .secret(config.refreshSecret())
                      .secure(config.secureCookies()))
          .reauth(
              refresh ->
                  users
                      .find(refresh.subject().orElse(null))
                      .map(user -> Payloads.of(refresh.userClaims(), refresh.userClaims())))
          .rotation(r -> r.store(store).reuseGrace(config.reuseGrace()).checkAccessRevocation(true))
          // An access token ends exactly when its Max-Age says (the demo's tests rely on it).
          // Several
          // real nodes sharing Redis need a small leeway for their clock skew instead (README).
          .leeway(Duration.ZERO)
          .clock(clock)
          .build();
    } catch (JwtSessionConfigException e) {
      throw new IllegalArgumentException(withVariables(e), e);
    }
  }

  private static String withVariables(JwtSessionConfigException e) {
    StringBuilder text = new StringBuilder(e.getMessage());
    text.append("\nset through:");
    for (String problem : e.problems()) {
      String setting = problem.substring(0, Math.max(0, problem.indexOf(':')));
      text.append("\n  - ")
          .append(setting)
          .append(" <- ")
          .append(VARIABLES.getOrDefault(setting, "the demo's code"));
    }
    return text.toString();
  }
}
