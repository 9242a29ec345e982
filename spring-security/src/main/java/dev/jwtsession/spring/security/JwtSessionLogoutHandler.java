package dev.jwtsession.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * Logs the jwt-session out: clears both cookies with the Path and Domain they were set with and,
 * with rotation on, revokes the login family. Spring's own logout already does this through {@link
 * JwtSessionSecurityContextRepository}; add this handler to chains that replace Spring's logout
 * handlers. Do not use {@code logout(l -> l.deleteCookies(..))} for the session cookies: it knows
 * only their names, not their Path and Domain, so the browser may keep them.
 */
public final class JwtSessionLogoutHandler implements LogoutHandler {

  @Override
  public void logout(
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Authentication authentication) {
    JwtSessionSecurityContextRepository.session(request).logout();
  }
}
