package dev.jwtsession.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.servlet.JwtSessionFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The repository's contract on a real engine: what a session loads as, and what each kind of saved
 * context does to the cookies. (Spring's mock request only carries the request attribute.)
 */
class JwtSessionSecurityContextRepositoryTest {

  final JwtSession engine =
      JwtSession.builder()
          .clock(MutableClock.atFixedStart())
          .access(
              t ->
                  t.cookieName("a")
                      .maxAge(java.time.Duration.ofMinutes(1))
                      .secret("access-secret-for-tests-only-0123456789"))
          .refresh(
              t ->
                  t.cookieName("r")
                      .maxAge(java.time.Duration.ofDays(1))
                      .secret("refresh-secret-for-tests-only-0123456789"))
          .build();
  final JwtSessionSecurityContextRepository repository = new JwtSessionSecurityContextRepository();
  final MockHttpServletResponse response = new MockHttpServletResponse();

  /** A request as JwtSessionFilter leaves it, for these cookies, with its cookie sink. */
  record Exchange(MockHttpServletRequest request, Session session, RecordingCookieSink sink) {}

  Exchange exchange(String cookieHeader) {
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(cookieHeader, sink);
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setAttribute(JwtSessionFilter.ATTRIBUTE, session);
    return new Exchange(request, session, sink);
  }

  /** The Cookie header of a fresh login with these roles. */
  String loggedIn(Object roles) {
    Exchange login = exchange(null);
    login
        .session()
        .login(Payloads.of(Map.of("sub", "alice", "roles", roles), Map.of("sub", "alice")));
    return String.join(
        "; ", login.sink().headers().stream().map(h -> h.substring(0, h.indexOf(';'))).toList());
  }

  @Test
  void anAuthenticatedSessionLoadsAsAJwtSessionAuthenticationWithItsRoles() {
    Exchange exchange = exchange(loggedIn(List.of("admin", "ops")));

    var deferred = repository.loadDeferredContext(exchange.request());
    SecurityContext context = deferred.get();

    assertThat(deferred.isGenerated()).isFalse();
    assertThat(context.getAuthentication()).isInstanceOf(JwtSessionAuthentication.class);
    assertThat(context.getAuthentication().getName()).isEqualTo("alice");
    assertThat(context.getAuthentication().getCredentials()).isNull();
    assertThat(AuthorityUtils.authorityListToSet(context.getAuthentication().getAuthorities()))
        .containsExactlyInAnyOrder("ROLE_admin", "ROLE_ops");
    assertThat(
            ((JwtSessionPrincipal) context.getAuthentication().getPrincipal()).claims().get("sub"))
        .isEqualTo("alice");
    assertThat(repository.containsContext(exchange.request())).isTrue();
  }

  @Test
  void anAnonymousSessionLoadsAsAnEmptyGeneratedContext() {
    Exchange exchange = exchange(null);

    var deferred = repository.loadDeferredContext(exchange.request());

    assertThat(deferred.get().getAuthentication()).isNull();
    assertThat(deferred.isGenerated()).isTrue();
    assertThat(repository.containsContext(exchange.request())).isFalse();
  }

  @Test
  void aRequestTheFilterDidNotReachFailsSayingToRegisterTheFilterFirst() {
    MockHttpServletRequest unfiltered = new MockHttpServletRequest();

    assertThatThrownBy(() -> repository.loadDeferredContext(unfiltered))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("register JwtSessionFilter before the Spring Security filter");
    assertThat(repository.containsContext(unfiltered)).isFalse();
  }

  @Test
  void savingALoginAuthenticationLogsInWithTheRolesWithoutTheirPrefix() {
    Exchange exchange = exchange(null);

    repository.saveContext(
        new SecurityContextImpl(
            UsernamePasswordAuthenticationToken.authenticated(
                "bob", "secret-password", AuthorityUtils.createAuthorityList("ROLE_user"))),
        exchange.request(),
        response);

    assertThat(exchange.session().isAuthenticated()).isTrue();
    assertThat(exchange.session().claims().get("roles")).isEqualTo(List.of("user"));
    assertThat(exchange.sink().headers()).hasSize(2);
    assertThat(String.join("", exchange.sink().headers())).doesNotContain("secret-password");
  }

  @Test
  void savingTheLoadedAuthenticationAgainWritesNoCookie() {
    Exchange exchange = exchange(loggedIn("admin"));
    SecurityContext loaded = repository.loadDeferredContext(exchange.request()).get();

    repository.saveContext(loaded, exchange.request(), response);

    assertThat(exchange.sink().headers()).isEmpty();
    assertThat(exchange.session().isAuthenticated()).isTrue();
  }

  @Test
  void savingAnEmptyContextWhileAuthenticatedLogsOut() {
    Exchange exchange = exchange(loggedIn("admin"));

    repository.saveContext(new SecurityContextImpl(), exchange.request(), response);

    assertThat(exchange.session().isAuthenticated()).isFalse();
    assertThat(exchange.sink().headers()).allMatch(h -> h.contains("Max-Age=0")).hasSize(2);
  }

  @Test
  void savingAnAnonymousTokenWhileAuthenticatedLogsOut() {
    Exchange exchange = exchange(loggedIn("admin"));

    repository.saveContext(
        new SecurityContextImpl(
            new AnonymousAuthenticationToken(
                "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))),
        exchange.request(),
        response);

    assertThat(exchange.session().isAuthenticated()).isFalse();
  }

  @Test
  void savingAnEmptyContextOnAnAnonymousRequestWritesNothing() {
    Exchange exchange = exchange(null);

    repository.saveContext(new SecurityContextImpl(), exchange.request(), response);

    assertThat(exchange.sink().headers()).isEmpty();
  }

  @Test
  void theLogoutHandlerClearsBothCookies() {
    Exchange exchange = exchange(loggedIn("admin"));

    new JwtSessionLogoutHandler().logout(exchange.request(), response, null);

    assertThat(exchange.session().isAuthenticated()).isFalse();
    assertThat(exchange.sink().headers()).allMatch(h -> h.contains("Max-Age=0")).hasSize(2);
  }

  @Test
  void theAuthenticationShowsSubjectAndAuthoritiesButNeverTheToken() {
    String cookies = loggedIn("admin");
    Exchange exchange = exchange(cookies);
    var authentication =
        repository.loadDeferredContext(exchange.request()).get().getAuthentication();
    String token = cookies.substring(cookies.indexOf('=') + 1, cookies.indexOf(';'));

    assertThat(authentication.toString())
        .isEqualTo("JwtSessionAuthentication[subject=alice, authorities=[ROLE_admin]]");
    assertThat(authentication.getPrincipal().toString()).doesNotContain(token).contains("alice");
    assertThat(authentication.getPrincipal().toString()).doesNotContain("admin");
  }
}
