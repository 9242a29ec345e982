package dev.jwtsession.spring.security;

import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Keeps Spring Security's {@code SecurityContext} in the jwt-session cookies instead of an {@code
 * HttpSession}: loaded from the {@link Session} that {@link JwtSessionFilter} resolved (it must run
 * before the Spring Security filter), and saved as cookies when a Spring login succeeds or a Spring
 * logout empties the context.
 *
 * <ul>
 *   <li>An authenticated session loads as a context holding a {@link JwtSessionAuthentication}; an
 *       anonymous one as an empty context.
 *   <li>Saving a {@link JwtSessionAuthentication} does nothing (the cookies already hold it);
 *       saving an empty context or an anonymous token while the session is authenticated logs out;
 *       saving any other authenticated {@code Authentication} logs in with the payloads {@link
 *       AuthenticationPayloads} makes of it.
 * </ul>
 */
public final class JwtSessionSecurityContextRepository implements SecurityContextRepository {

  private final ClaimAuthorities authorities;
  private final AuthenticationPayloads payloads;
  private @Nullable SecurityContextHolderStrategy strategy;

  /** The defaults: the {@code roles} claim, the {@code ROLE_} prefix, the standard payloads. */
  public JwtSessionSecurityContextRepository() {
    this(ClaimAuthorities.defaults(), AuthenticationPayloads.standard(ClaimAuthorities.defaults()));
  }

  /** Reads authorities with {@code authorities} and logs in with {@code payloads}. */
  public JwtSessionSecurityContextRepository(
      ClaimAuthorities authorities, AuthenticationPayloads payloads) {
    this.authorities = Objects.requireNonNull(authorities, "authorities");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
  }

  /** The strategy that creates contexts; by default {@link SecurityContextHolder}'s. */
  public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  /**
   * The session of a request that passed through {@link JwtSessionFilter}.
   *
   * @throws IllegalStateException if the filter did not run before Spring Security
   */
  static Session session(HttpServletRequest request) {
    if (request.getAttribute(JwtSessionFilter.ATTRIBUTE) instanceof Session session) {
      return session;
    }
    throw new IllegalStateException(
        "No jwt-session Session on this request: register JwtSessionFilter before the Spring"
            + " Security filter (with Spring Boot, jwt-session-spring-boot registers it at order"
            + " -101; otherwise map it for REQUEST, ASYNC and ERROR dispatches ahead of"
            + " springSecurityFilterChain)");
  }

  @Override
  public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
    Session session = session(request);
    return new DeferredSecurityContext() {
      private @Nullable SecurityContext context;

      @Override
      public SecurityContext get() {
        if (context == null) {
          context = contextOf(session);
        }
        return context;
      }

      @Override
      public boolean isGenerated() {
        return !session.isAuthenticated();
      }
    };
  }

  /**
   * The context of the request, loaded at once.
   *
   * @deprecated Spring Security calls {@link #loadDeferredContext}; kept because the interface
   *     still declares it
   */
  @Deprecated
  @Override
  @SuppressWarnings("InlineMeSuggester") // an interface method, not ours to inline
  public SecurityContext loadContext(HttpRequestResponseHolder holder) {
    return loadDeferredContext(holder.getRequest()).get();
  }

  @Override
  public void saveContext(
      SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
    Authentication authentication = context.getAuthentication();
    if (authentication instanceof JwtSessionAuthentication) {
      return;
    }
    Session session = session(request);
    if (authentication == null
        || authentication instanceof AnonymousAuthenticationToken
        || !authentication.isAuthenticated()) {
      if (session.isAuthenticated()) {
        session.logout();
      }
      return;
    }
    session.login(payloads.apply(authentication));
  }

  @Override
  public boolean containsContext(HttpServletRequest request) {
    return request.getAttribute(JwtSessionFilter.ATTRIBUTE) instanceof Session session
        && session.isAuthenticated();
  }

  private SecurityContext contextOf(Session session) {
    SecurityContextHolderStrategy holder =
        strategy != null ? strategy : SecurityContextHolder.getContextHolderStrategy();
    SecurityContext context = holder.createEmptyContext();
    if (session.isAuthenticated() && session.subject().isPresent()) {
      context.setAuthentication(
          new JwtSessionAuthentication(
              new JwtSessionPrincipal(session.subject().get(), session.claims()),
              authorities.authorities(session.claims())));
    }
    return context;
  }

  @Override
  public String toString() {
    return "JwtSessionSecurityContextRepository[" + authorities + "]";
  }
}
