package dev.jwtsession.spring.security;

import dev.jwtsession.Claims;
import java.security.Principal;
import java.util.Objects;

/**
 * The principal of a {@link JwtSessionAuthentication}: the {@code sub} claim and all verified
 * access-token claims. Reach it with {@code @AuthenticationPrincipal JwtSessionPrincipal user}.
 *
 * @param subject the {@code sub} claim
 * @param claims the verified access-token claims
 */
public record JwtSessionPrincipal(String subject, Claims claims) implements Principal {

  /** Requires both. */
  public JwtSessionPrincipal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(claims, "claims");
  }

  /** The {@code sub} claim. */
  @Override
  public String getName() {
    return subject;
  }

  /** The subject and the claim names, never claim values. */
  @Override
  public String toString() {
    return "JwtSessionPrincipal[subject=" + subject + ", " + claims + "]";
  }
}
