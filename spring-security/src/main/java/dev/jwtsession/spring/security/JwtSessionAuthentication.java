package dev.jwtsession.spring.security;

import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An {@code Authentication} loaded from a verified jwt-session access cookie: authenticated, with a
 * {@link JwtSessionPrincipal} and the authorities of its roles claim. The credentials are always
 * {@code null}: the token never leaves jwt-session. {@link #toString()} shows the subject and the
 * authorities only.
 */
public final class JwtSessionAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // Claims are not Serializable; a request-scoped value is never kept.
  private final JwtSessionPrincipal principal;

  /** An authenticated token for this principal and these authorities. */
  public JwtSessionAuthentication(
      JwtSessionPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
    super(authorities);
    this.principal = principal;
    setAuthenticated(true);
  }

  /** Always {@code null}: the token is not handed out as a credential. */
  @Override
  public @Nullable Object getCredentials() {
    return null;
  }

  @Override
  public JwtSessionPrincipal getPrincipal() {
    return principal;
  }

  @Override
  public String getName() {
    return principal.subject();
  }

  /** The subject and the authorities only. */
  @Override
  public String toString() {
    return "JwtSessionAuthentication[subject="
        + principal.subject()
        + ", authorities="
        + getAuthorities()
        + "]";
  }
}
