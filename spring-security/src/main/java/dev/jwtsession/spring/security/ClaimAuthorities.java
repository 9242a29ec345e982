package dev.jwtsession.spring.security;

import dev.jwtsession.Claims;
import dev.jwtsession.JwtSessionConfigException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Maps a claim to Spring Security authorities and back: with the defaults, a {@code roles:
 * ["admin"]} claim becomes the authority {@code ROLE_admin}, so {@code hasRole('admin')} matches.
 *
 * <p>A string claim value is one authority, an array is many (its non-string elements are skipped);
 * any other type is ignored and reported to the log once per claim name, because it is the
 * application's payload, not client input.
 */
public final class ClaimAuthorities {

  /** Default claim that holds the roles: {@value}. */
  public static final String DEFAULT_CLAIM = "roles";

  /** Default prefix put before each role: {@value}, as {@code hasRole(..)} expects. */
  public static final String DEFAULT_PREFIX = "ROLE_";

  private static final System.Logger LOG = System.getLogger("dev.jwtsession.spring.security");
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  private final String claim;
  private final String prefix;

  private ClaimAuthorities(String claim, String prefix) {
    this.claim = claim;
    this.prefix = prefix;
  }

  /** The {@code roles} claim with the {@code ROLE_} prefix. */
  public static ClaimAuthorities defaults() {
    return new ClaimAuthorities(DEFAULT_CLAIM, DEFAULT_PREFIX);
  }

  /**
   * A claim and a prefix (may be empty).
   *
   * @throws JwtSessionConfigException if the claim is blank or either contains whitespace
   */
  public static ClaimAuthorities of(String claim, String prefix) {
    List<String> problems = new ArrayList<>();
    if (claim == null || claim.isBlank() || claim.chars().anyMatch(Character::isWhitespace)) {
      problems.add(
          "security.authoritiesClaim: is empty or contains whitespace. Name the claim that holds"
              + " the roles, e.g. roles.");
    }
    if (prefix == null || prefix.chars().anyMatch(Character::isWhitespace)) {
      problems.add(
          "security.authorityPrefix: contains whitespace, so no role would ever match. Use a"
              + " prefix without whitespace, e.g. ROLE_ (or an empty one).");
    }
    if (!problems.isEmpty()) {
      throw new JwtSessionConfigException(problems);
    }
    return new ClaimAuthorities(claim, prefix);
  }

  /** The claim that holds the roles. */
  public String claim() {
    return claim;
  }

  /** The prefix put before each role. */
  public String prefix() {
    return prefix;
  }

  /** The authorities the claims grant. */
  public List<GrantedAuthority> authorities(Claims claims) {
    Object value = claims.get(claim);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String role) {
      return List.of(new SimpleGrantedAuthority(prefix + role));
    }
    if (value instanceof List<?> roles) {
      return roles.stream()
          .filter(String.class::isInstance)
          .map(role -> (GrantedAuthority) new SimpleGrantedAuthority(prefix + role))
          .toList();
    }
    if (REPORTED.add(claim)) {
      LOG.log(
          Level.WARNING,
          () ->
              "claim '"
                  + claim
                  + "' is neither a string nor an array, so it grants no authority; issue it as"
                  + " a string or an array of strings (reported once per claim name)");
    }
    return List.of();
  }

  /**
   * The claim value for these authorities: those that carry the prefix, without it. Authorities
   * without the prefix (for example Spring Security 7's {@code FACTOR_PASSWORD}) are not carried,
   * because reading them back would add the prefix to them. With an empty prefix, all are carried.
   */
  public List<String> roles(Collection<? extends GrantedAuthority> authorities) {
    return authorities.stream()
        .map(GrantedAuthority::getAuthority)
        .filter(a -> a != null && a.startsWith(prefix) && a.length() > prefix.length())
        .map(a -> a.substring(prefix.length()))
        .distinct()
        .toList();
  }

  @Override
  public String toString() {
    return "ClaimAuthorities[claim=" + claim + ", prefix=" + prefix + "]";
  }
}
