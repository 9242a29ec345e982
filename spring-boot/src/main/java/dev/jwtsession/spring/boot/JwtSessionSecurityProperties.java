package dev.jwtsession.spring.boot;

import dev.jwtsession.spring.security.ClaimAuthorities;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Spring Security bridge's settings, {@code jwt-session.security.*}: which access-token claim
 * holds the roles and the prefix that turns a role into an authority.
 */
@ConfigurationProperties("jwt-session.security")
public class JwtSessionSecurityProperties {

  /**
   * Access-token claim that holds the roles: a string is one role, an array is many; other types
   * grant nothing and are logged once.
   */
  private String authoritiesClaim = ClaimAuthorities.DEFAULT_CLAIM;

  /**
   * Prefix put before each role to make its authority, so that hasRole('admin') matches a roles
   * claim of ["admin"]; may be empty, must not contain whitespace.
   */
  private String authorityPrefix = ClaimAuthorities.DEFAULT_PREFIX;

  /** Used by Spring Boot. */
  public JwtSessionSecurityProperties() {}

  /** The claim that holds the roles. */
  public String getAuthoritiesClaim() {
    return authoritiesClaim;
  }

  /** Sets the claim that holds the roles. */
  public void setAuthoritiesClaim(String authoritiesClaim) {
    this.authoritiesClaim = authoritiesClaim;
  }

  /** The prefix put before each role. */
  public String getAuthorityPrefix() {
    return authorityPrefix;
  }

  /** Sets the prefix put before each role. */
  public void setAuthorityPrefix(String authorityPrefix) {
    this.authorityPrefix = authorityPrefix;
  }

  @Override
  public String toString() {
    return "JwtSessionSecurityProperties[authoritiesClaim="
        + authoritiesClaim
        + ", authorityPrefix="
        + authorityPrefix
        + "]";
  }
}
