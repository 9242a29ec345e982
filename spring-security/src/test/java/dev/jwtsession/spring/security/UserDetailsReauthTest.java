package dev.jwtsession.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.Claims;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** Each account state the reauth must refuse, and what it issues for an active user. */
class UserDetailsReauthTest {

  final JwtSession engine =
      JwtSession.builder()
          .clock(MutableClock.atFixedStart())
          .access(
              t ->
                  t.cookieName("a")
                      .maxAge(Duration.ofMinutes(1))
                      .secret("access-secret-for-tests-only-0123456789"))
          .refresh(
              t ->
                  t.cookieName("r")
                      .maxAge(Duration.ofDays(1))
                      .secret("refresh-secret-for-tests-only-0123456789"))
          .build();

  /** Verified claims with this {@code sub}, as a refresh token would carry. */
  Claims refreshClaimsOf(String subject) {
    Session session = engine.resolve(null, new RecordingCookieSink());
    session.login(Payloads.accessOnly(Map.of("sub", subject)));
    return session.claims();
  }

  UserDetailsReauth reauthWith(UserDetails user) {
    return new UserDetailsReauth(
        new InMemoryUserDetailsManager(user),
        AuthenticationPayloads.standard(ClaimAuthorities.defaults()));
  }

  static User.UserBuilder bob() {
    return User.withUsername("bob").password("{noop}bob-password").roles("user");
  }

  @Test
  void anActiveUserGetsFreshPayloadsWithTheCurrentRoles() {
    var payloads = reauthWith(bob().roles("admin").build()).reauth(refreshClaimsOf("bob"));

    assertThat(payloads).isPresent();
    assertThat(payloads.get().access()).isEqualTo(Map.of("sub", "bob", "roles", List.of("admin")));
  }

  @Test
  void aMissingUserIsRefused() {
    assertThat(reauthWith(bob().build()).reauth(refreshClaimsOf("alice"))).isEmpty();
  }

  @Test
  void aLockedUserIsRefused() {
    assertThat(reauthWith(bob().accountLocked(true).build()).reauth(refreshClaimsOf("bob")))
        .isEmpty();
  }

  @Test
  void anExpiredAccountIsRefused() {
    assertThat(reauthWith(bob().accountExpired(true).build()).reauth(refreshClaimsOf("bob")))
        .isEmpty();
  }

  @Test
  void expiredCredentialsAreRefused() {
    assertThat(reauthWith(bob().credentialsExpired(true).build()).reauth(refreshClaimsOf("bob")))
        .isEmpty();
  }

  @Test
  void aDisabledUserIsRefused() {
    assertThat(reauthWith(bob().disabled(true).build()).reauth(refreshClaimsOf("bob"))).isEmpty();
  }
}
