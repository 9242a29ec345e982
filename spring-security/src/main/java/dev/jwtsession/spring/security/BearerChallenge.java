package dev.jwtsession.spring.security;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The entry point for requests whose bearer token was refused (RFC 6750 §3): {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}. It runs as a filter right after Spring's
 * {@code ExceptionTranslationFilter}, so it answers only bearer requests that reach an access
 * decision unauthenticated; every other request keeps the chain's own entry point.
 */
final class BearerChallenge implements Filter, AuthenticationEntryPoint {

  private final Supplier<@Nullable JwtSession> engine;

  BearerChallenge(Supplier<@Nullable JwtSession> engine) {
    this.engine = engine;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    response.setHeader("Cache-Control", "no-store");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(req, res);
    } catch (IOException | ServletException | RuntimeException e) {
      HttpServletRequest request = (HttpServletRequest) req;
      HttpServletResponse response = (HttpServletResponse) res;
      if (!deniedAccess(e) || !refusedBearer(request) || response.isCommitted()) {
        throw e;
      }
      commence(
          request,
          response,
          new InsufficientAuthenticationException("The bearer token was refused"));
    }
  }

  /** A bearer request (bearer on) that the engine left anonymous. */
  private boolean refusedBearer(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    JwtSession session = engine.get();
    boolean bearer =
        session != null
            ? session.isBearerRequest(header)
            : header != null
                && header.regionMatches(true, 0, "Bearer", 0, 6)
                && (header.length() == 6 || header.charAt(6) == ' ');
    if (!bearer
        || !(request.getAttribute(JwtSessionFilter.ATTRIBUTE) instanceof Session resolved)
        || resolved.isAuthenticated()) {
      return false;
    }
    Authentication current = SecurityContextHolder.getContext().getAuthentication();
    return current == null || current instanceof AnonymousAuthenticationToken;
  }

  private static boolean deniedAccess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AccessDeniedException || t instanceof AuthenticationException) {
        return true;
      }
    }
    return false;
  }
}
