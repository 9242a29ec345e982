package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Objects;
import java.util.Optional;

/**
 * Installs jwt-session in any Jakarta Servlet 6 container: the Java form of SvelteKit's {@code
 * export const handle = handleSession(...)}.
 *
 * <p>For each request it first runs the engine's {@link dev.jwtsession.CsrfCheck} (a cross-origin
 * request with any method but {@code GET}/{@code HEAD}/{@code OPTIONS}/{@code TRACE} is answered
 * {@code 403} with a short plain-text reason, before the application and without touching any
 * cookie; exempt paths are matched on {@code servletPath + pathInfo}), then resolves the {@link
 * Session} from the cookies, exposes it as the request attribute {@link #ATTRIBUTE}, through {@link
 * #session(HttpServletRequest)} and through {@link Session#current()}, and runs the chain.
 *
 * <p>Cookies reach the response as soon as they change: renewed or cleared cookies before the chain
 * runs, and those of {@code login}/{@code logout} the moment the handler calls them. So a handler
 * may log in after it started writing the body, as long as the response is not committed (the body
 * still fits the response buffer); after the commit {@code login}/{@code logout} throw an {@link
 * IllegalStateException} that says so, because headers can no longer be sent. A response that
 * carries a session cookie gets {@code Cache-Control: no-store}, which the application cannot
 * replace through the response this filter hands down the chain; map this filter before any filter
 * that sets caching headers itself.
 *
 * <p>Map it for the dispatcher types {@code REQUEST}, {@code ASYNC} and {@code ERROR}: {@code
 * context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC,
 * DispatcherType.ERROR))}. A re-dispatch of a request the filter already handled (an error page
 * such as Spring Boot's {@code /error}, the second half of an async request) skips the CSRF check
 * and the resolution and only binds the same {@link Session} again, so {@link Session#current()}
 * works there and no second set of {@code Set-Cookie} headers is written.
 */
public final class JwtSessionFilter implements Filter {

  /** The request attribute that holds the {@link Session}. */
  public static final String ATTRIBUTE = Session.class.getName();

  /** Where a re-dispatch finds the first dispatch's response wrapper (not API). */
  private static final String RESPONSE = SessionResponse.class.getName();

  private final JwtSession engine;

  /** A filter for this engine. */
  public JwtSessionFilter(JwtSession engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * The session of a request that passed through this filter.
   *
   * @throws IllegalStateException if the filter is not mapped in front of this request
   */
  public static Session session(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof Session session) {
      return session;
    }
    throw new IllegalStateException(
        "No jwt-session Session on this request: map JwtSessionFilter to "
            + "this path (e.g. context.addFilter(new FilterHolder(new JwtSessionFilter(engine)), \"/*\", "
            + "EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR)))");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getAttribute(ATTRIBUTE) instanceof Session resolved) {
      // A re-dispatch (ERROR, ASYNC, ...) of a request this filter already checked and resolved;
      // the no-store guard of its first dispatch covers this one too.
      HttpServletResponse guarded =
          request.getAttribute(RESPONSE) instanceof SessionResponse first
              ? first.alsoGuarding(response)
              : response;
      runBound(resolved, request, guarded, chain);
      return;
    }
    if (engine.csrf().appliesTo(request.getMethod())) {
      Optional<String> refusal =
          engine
              .csrf()
              .refusal(
                  request.getMethod(),
                  request.getServletPath()
                      + (request.getPathInfo() == null ? "" : request.getPathInfo()),
                  request.getHeader("Origin"),
                  request.getHeader("Sec-Fetch-Site"),
                  originOf(request));
      if (refusal.isPresent()) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write(refusal.get().getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    SessionResponse sessionResponse = new SessionResponse(response);
    Session session = engine.resolve(cookieHeader(request), sessionResponse);
    request.setAttribute(ATTRIBUTE, session);
    request.setAttribute(RESPONSE, sessionResponse);
    runBound(session, request, sessionResponse, chain);
  }

  private void runBound(
      Session session, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    JwtSession.Binding binding = engine.bind(session);
    try {
      chain.doFilter(request, response);
    } finally {
      binding.close();
    }
  }

  /** HTTP/2 may split cookies over several headers; they are joined as RFC 9113 §8.2.3 says. */
  private static String cookieHeader(HttpServletRequest request) {
    Enumeration<String> headers = request.getHeaders("Cookie");
    if (headers == null || !headers.hasMoreElements()) {
      return null;
    }
    String first = headers.nextElement();
    if (!headers.hasMoreElements()) {
      return first;
    }
    StringBuilder joined = new StringBuilder(first);
    while (headers.hasMoreElements()) {
      joined.append("; ").append(headers.nextElement());
    }
    return joined.toString();
  }

  /**
   * The origin the client addressed: scheme, host and non-default port, as the Host header gave.
   */
  private static String originOf(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean defaultPort =
        port <= 0
            || ("http".equals(scheme) && port == 80)
            || ("https".equals(scheme) && port == 443);
    return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
  }
}
