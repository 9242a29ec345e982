package dev.jwtsession.spring.security;

import dev.jwtsession.Payloads;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;

/**
 * Turns a successful Spring Security login (form login, or a login controller that saves through
 * the repository) into the payloads of the session cookies. Declare a bean to replace the default.
 */
@FunctionalInterface
public interface AuthenticationPayloads {

  /** The payloads to sign for this authenticated user. */
  Payloads apply(Authentication authentication);

  /**
   * The default: access {@code {sub: name, <claim>: [roles]}} and refresh {@code {sub: name}}, the
   * roles being the authorities that carry the prefix, without it.
   */
  static AuthenticationPayloads standard(ClaimAuthorities authorities) {
    return authentication -> {
      List<String> roles = authorities.roles(authentication.getAuthorities());
      return Payloads.of(
          Map.of("sub", authentication.getName(), authorities.claim(), roles),
          Map.of("sub", authentication.getName()));
    };
  }

  /**
   * Like {@link #standard} but the refresh payload carries the roles too: for a reauth that
   * re-issues the refresh token's claims (no {@code UserDetailsService} to reload the user from),
   * or the roles would vanish at the first renewal.
   */
  static AuthenticationPayloads withRolesInRefresh(ClaimAuthorities authorities) {
    return authentication -> {
      Map<String, Object> claims =
          Map.of(
              "sub",
              authentication.getName(),
              authorities.claim(),
              authorities.roles(authentication.getAuthorities()));
      return Payloads.of(claims, claims);
    };
  }
}
