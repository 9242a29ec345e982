package dev.jwtsession.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A demo user: the id that becomes {@code sub}, a display name and a role.
 *
 * @param id the login name, also the token subject
 * @param name the display name
 * @param role the role, e.g. {@code admin}
 */
record User(String id, String name, String role) {

  /**
   * The claims signed into both tokens at login, so a re-issue from the refresh token keeps them.
   */
  Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", id);
    claims.put("name", name);
    claims.put("role", role);
    return claims;
  }
}
