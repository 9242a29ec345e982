package dev.jwtsession.benchmarks;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The part of {@link LoadServer} that uses our engine: {@link JwtSessionFilter} in front of {@code
 * /session/*}, and the cookie headers that drive it into each load case. Everything engine-specific
 * lives here.
 *
 * <p>The engine matches {@link EngineBenchmark}'s (15-minute access, 7-day refresh, a reauth that
 * always answers the fixture user) on the system clock. Tokens are minted by an engine with the
 * same settings and keys, on a clock an hour behind for the expired access token.
 */
final class SessionWiring {

  /** Keys of {@link #cookieHeaders()}: the load cases of {@code load.sh}. */
  static final String VALID = "VALID";

  static final String REAUTH = "REAUTH";

  /**
   * How many distinct re-authentication cookie headers {@link #reauthCookieHeaders} mints for case
   * c. The engine coalesces concurrent requests carrying the same refresh token (single flight), so
   * wrk cycles through this many (each its own login, its own family and refresh token): with 32
   * connections no two requests in flight ever carry the same one, and each one really renews.
   */
  static final int REAUTH_POOL_SIZE = 4096;

  private SessionWiring() {}

  /**
   * Puts the engine's filter in front of {@code /session/*}. Returns whether the engine is wired.
   */
  static boolean install(ServletContextHandler context) {
    context.addFilter(
        new FilterHolder(new JwtSessionFilter(engine(Clock.systemUTC()))),
        "/session/*",
        EnumSet.of(DispatcherType.REQUEST));
    return true;
  }

  /** The subject of the current request's session, or {@code null} when anonymous. */
  static String subject(HttpServletRequest request) {
    Session session = JwtSessionFilter.session(request);
    return session.subject().orElse(null);
  }

  /**
   * {@code Cookie} header values for the engine: {@link #VALID} (a valid access and refresh cookie,
   * as a browser sends them) and {@link #REAUTH} (an expired access and a valid refresh cookie).
   */
  static Map<String, String> cookieHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(VALID, loginCookieHeader(engine(Clock.systemUTC())));
    headers.put(
        REAUTH, loginCookieHeader(engine(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))));
    return headers;
  }

  /**
   * {@code count} distinct {@link #REAUTH} cookie headers, each from its own login an hour ago
   * (expired access, valid refresh): one engine, so every login draws its own family id and
   * refresh-token id.
   */
  static List<String> reauthCookieHeaders(int count) {
    JwtSession anHourAgo = engine(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
    List<String> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      headers.add(loginCookieHeader(anHourAgo));
    }
    if (headers.stream().distinct().count() != count) {
      throw new IllegalStateException("the reauth cookie pool has duplicates");
    }
    return headers;
  }

  static JwtSession engine(Clock clock) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName(EngineBenchmark.ACCESS_COOKIE)
                    .maxAge(Duration.ofMinutes(15))
                    .secret(TokenFixture.SECRET))
        .refresh(
            t ->
                t.cookieName(EngineBenchmark.REFRESH_COOKIE)
                    .maxAge(Duration.ofDays(7))
                    .secret(TokenFixture.REFRESH_SECRET))
        .reauth(refresh -> Optional.of(EngineBenchmark.payloads()))
        .clock(clock)
        .build();
  }

  /**
   * Logs the fixture user in with {@code engine} and returns the two cookies as a browser sends
   * them.
   */
  private static String loginCookieHeader(JwtSession engine) {
    EngineBenchmark.CapturingSink sink = new EngineBenchmark.CapturingSink();
    engine.resolve(null, sink).login(EngineBenchmark.payloads());
    return EngineBenchmark.ACCESS_COOKIE
        + "="
        + EngineBenchmark.CapturingSink.value(sink.access)
        + "; "
        + EngineBenchmark.REFRESH_COOKIE
        + "="
        + EngineBenchmark.CapturingSink.value(sink.refresh);
  }
}
