package dev.jwtsession.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.LogCapture;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.authority.AuthorityUtils;

/** Roles claim to authorities and back. */
class ClaimAuthoritiesTest {

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

  /** The verified claims of a login with this access payload. */
  dev.jwtsession.Claims claims(Map<String, Object> access) {
    Session session = engine.resolve(null, new RecordingCookieSink());
    session.login(Payloads.accessOnly(access));
    return session.claims();
  }

  static List<String> names(List<? extends org.springframework.security.core.GrantedAuthority> a) {
    return AuthorityUtils.authorityListToSet(a).stream().sorted().toList();
  }

  @Test
  void aStringClaimIsOneAuthorityWithThePrefix() {
    assertThat(names(ClaimAuthorities.defaults().authorities(claims(Map.of("roles", "admin")))))
        .containsExactly("ROLE_admin");
  }

  @Test
  void anArrayClaimIsManyAuthoritiesSkippingNonStrings() {
    assertThat(
            names(
                ClaimAuthorities.defaults()
                    .authorities(claims(Map.of("roles", List.of("admin", 7, "ops"))))))
        .containsExactly("ROLE_admin", "ROLE_ops");
  }

  @Test
  void anotherClaimAndAnEmptyPrefixAreHonoured() {
    assertThat(
            names(
                ClaimAuthorities.of("groups", "")
                    .authorities(claims(Map.of("groups", List.of("dev"), "roles", "admin")))))
        .containsExactly("dev");
  }

  @Test
  void aClaimOfAnotherTypeGrantsNothingAndIsLoggedOncePerClaimName() {
    ClaimAuthorities authorities = ClaimAuthorities.of("perms-" + System.nanoTime(), "ROLE_");
    try (LogCapture log = LogCapture.of("dev.jwtsession.spring.security")) {
      var odd = claims(Map.of(authorities.claim(), Map.of("admin", true)));

      assertThat(authorities.authorities(odd)).isEmpty();
      assertThat(authorities.authorities(odd)).isEmpty();

      assertThat(log.lines()).hasSize(1);
      assertThat(log.lines().get(0)).contains(authorities.claim(), "neither a string nor an array");
    }
  }

  @Test
  void rolesForAPayloadAreThePrefixedAuthoritiesWithoutThePrefix() {
    assertThat(
            ClaimAuthorities.defaults()
                .roles(
                    AuthorityUtils.createAuthorityList("ROLE_admin", "FACTOR_PASSWORD", "ROLE_")))
        .containsExactly("admin");
  }

  @Test
  void aPrefixWithWhitespaceAndABlankClaimAreRefusedTogether() {
    assertThatThrownBy(() -> ClaimAuthorities.of(" ", "ROLE _"))
        .isInstanceOf(JwtSessionConfigException.class)
        .satisfies(
            e ->
                assertThat(((JwtSessionConfigException) e).problems())
                    .hasSize(2)
                    .anyMatch(p -> p.startsWith("security.authorityPrefix: contains whitespace"))
                    .anyMatch(p -> p.startsWith("security.authoritiesClaim: is empty")));
  }
}
