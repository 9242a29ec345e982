package dev.jwtsession.spring.security;

import dev.jwtsession.Claims;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * A {@link Reauth} that reloads the user by the refresh token's {@code sub} from a {@link
 * UserDetailsService} and issues fresh payloads from it, so changed roles arrive at the next
 * renewal. A missing, disabled, locked or expired user (account or credentials) refuses: both
 * cookies are cleared and the request is anonymous. Any other exception of the service counts as a
 * temporary failure (anonymous request, cookies kept).
 */
public final class UserDetailsReauth implements Reauth {

  private final UserDetailsService users;
  private final AuthenticationPayloads payloads;

  /** Reloads from {@code users} and builds the payloads with {@code payloads}. */
  public UserDetailsReauth(UserDetailsService users, AuthenticationPayloads payloads) {
    this.users = Objects.requireNonNull(users, "users");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
  }

  @Override
  public Optional<Payloads> reauth(Claims refreshClaims) {
    Optional<String> subject = refreshClaims.subject();
    if (subject.isEmpty()) {
      return Optional.empty();
    }
    UserDetails user;
    try {
      user = users.loadUserByUsername(subject.get());
    } catch (UsernameNotFoundException gone) {
      return Optional.empty();
    }
    if (user == null
        || !user.isEnabled()
        || !user.isAccountNonLocked()
        || !user.isAccountNonExpired()
        || !user.isCredentialsNonExpired()) {
      return Optional.empty();
    }
    return Optional.of(
        payloads.apply(
            UsernamePasswordAuthenticationToken.authenticated(
                user.getUsername(), null, user.getAuthorities())));
  }
}
