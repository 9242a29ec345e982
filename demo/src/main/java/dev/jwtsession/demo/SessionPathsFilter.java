package dev.jwtsession.demo;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Set;

/**
 * Runs the session filter only for the exact paths that use a session, so {@code /health}, static
 * files and unknown paths do no session work (no cookie read, no store lookup, no Set-Cookie).
 *
 * <p>Servlet URL patterns cannot say "exactly {@code /}" for a filter ({@code /} there means
 * "everything"), hence this wrapper. The path compared is the container's decoded and normalized
 * one.
 */
final class SessionPathsFilter implements Filter {

  private final Filter sessionFilter;
  private final Set<String> paths;

  SessionPathsFilter(Filter sessionFilter, Set<String> paths) {
    this.sessionFilter = sessionFilter;
    this.paths = Set.copyOf(paths);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && paths.contains(Responses.path(http))) {
      sessionFilter.doFilter(request, response, chain);
    } else {
      chain.doFilter(request, response);
    }
  }
}
