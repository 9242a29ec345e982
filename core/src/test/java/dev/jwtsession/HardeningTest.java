package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.RefreshTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Engine rules of "hardening, round 2": uncacheable cookie responses, access-only logins under the
 * revocation check, access tokens capped at the login's absolute expiry, deeply immutable claims,
 * and a login that replaces an older session revoking it. Each test fails without its rule.
 */
class HardeningTest extends EngineHarness {

  JwtSession rotating(boolean checkAccess, Duration absolute) {
    return engine(
        b ->
            b.reauth(r -> Optional.of(Payloads.of(r.userClaims(), r.userClaims())))
                .rotation(r -> r.checkAccessRevocation(checkAccess).absoluteLifetime(absolute)));
  }

  static Map<String, String> jar(RecordingCookieSink sink) {
    return sink.applyTo(Map.of());
  }

  // ---- item 1: responses that carry session cookies are never cached

  @Test
  void everyResponseThatWritesASessionCookieIsMadeUncacheableOnce() {
    JwtSession engine =
        engine(b -> b.reauth(r -> Optional.of(Payloads.accessOnly(r.userClaims()))));
    RecordingCookieSink login = new RecordingCookieSink();
    engine.resolve(null, login).login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
    assertThat(login.headers()).hasSize(2);
    assertThat(login.cachingPrevented()).isEqualTo(1);

    RecordingCookieSink valid = new RecordingCookieSink();
    engine.resolve(RecordingCookieSink.cookieHeader(jar(login)), valid);
    assertThat(valid.headers()).isEmpty();
    assertThat(valid.cachingPrevented()).isZero();

    clock.advance(Duration.ofMinutes(2));
    RecordingCookieSink renewal = new RecordingCookieSink();
    engine.resolve(RecordingCookieSink.cookieHeader(jar(login)), renewal);
    assertThat(renewal.headers()).isNotEmpty();
    assertThat(renewal.cachingPrevented()).isEqualTo(1);

    RecordingCookieSink logout = new RecordingCookieSink();
    engine.resolve(RecordingCookieSink.cookieHeader(jar(login)), logout).logout();
    assertThat(logout.cachingPrevented()).isEqualTo(1);

    RecordingCookieSink junk = new RecordingCookieSink();
    engine.resolve("app_session=junk", junk);
    assertThat(junk.clears("app_session")).isTrue();
    assertThat(junk.cachingPrevented()).isEqualTo(1);
  }

  // ---- item 4: access-only login with the access revocation check

  @Test
  void accessOnlyLoginWithAccessRevocationCheckStaysAuthenticatedUntilLogout() {
    JwtSession engine = rotating(true, Duration.ofDays(7));
    RecordingCookieSink login = new RecordingCookieSink();
    engine.resolve(null, login).login(Payloads.accessOnly(Map.of("sub", "a")));
    String cookies = RecordingCookieSink.cookieHeader(jar(login));

    assertThat(resolve(engine, cookies).isAuthenticated()).isTrue();
    assertThat(listener.events()).doesNotContain("rejected:ACCESS:REVOKED");

    engine.resolve(cookies, new RecordingCookieSink()).logout();
    assertThat(resolve(engine, cookies).isAuthenticated()).isFalse();
    assertThat(listener.events()).contains("rejected:ACCESS:REVOKED");
  }

  @Test
  void accessOnlyLoginIsEndedByLogOutEverywhere() {
    JwtSession engine = rotating(true, Duration.ofDays(7));
    RecordingCookieSink login = new RecordingCookieSink();
    engine.resolve(null, login).login(Payloads.accessOnly(Map.of("sub", "a")));

    assertThat(engine.revokeAllSessions("a")).isEqualTo(1);
    assertThat(resolve(engine, RecordingCookieSink.cookieHeader(jar(login))).isAuthenticated())
        .isFalse();
  }

  // ---- item 6: access tokens never outlive the login's absolute lifetime

  @Test
  void accessTokenIsRefusedAtTheLoginsAbsoluteExpiryDespiteTheLeeway() {
    JwtSession engine =
        engine(
            b ->
                b.leeway(Duration.ofMinutes(1))
                    .rotation(r -> r.absoluteLifetime(Duration.ofSeconds(30))));
    RecordingCookieSink login = new RecordingCookieSink();
    Session session = engine.resolve(null, login);
    session.login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
    Instant absolute = clock.instant().plus(Duration.ofSeconds(30));
    assertThat(session.expiresAt()).contains(absolute); // the 60 s access lifetime is capped
    String cookies = RecordingCookieSink.cookieHeader(jar(login));

    clock.advance(Duration.ofSeconds(29));
    assertThat(resolve(engine, cookies).isAuthenticated()).isTrue();
    clock.advance(Duration.ofSeconds(1)); // at the absolute expiry, well inside exp + leeway
    assertThat(resolve(engine, cookies).isAuthenticated()).isFalse();
    assertThat(listener.events()).contains("rejected:ACCESS:ABSOLUTE_LIFETIME_EXCEEDED");
  }

  @Test
  void renewedAccessTokenIsCappedAtTheAbsoluteExpiryToo() {
    JwtSession engine = rotating(false, Duration.ofMinutes(3));
    RecordingCookieSink login = new RecordingCookieSink();
    Session first = engine.resolve(null, login);
    first.login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
    Instant absolute = clock.instant().plus(Duration.ofMinutes(3));

    clock.advance(Duration.ofSeconds(150)); // access (60 s) expired; 30 s of the login left
    Session renewed = resolve(engine, RecordingCookieSink.cookieHeader(jar(login)));

    assertThat(renewed.reauthenticated()).isTrue();
    assertThat(renewed.expiresAt()).contains(absolute);
  }

  // ---- item 5: claims are deeply immutable

  @Test
  void nestedClaimsCannotBeChangedByAHandlerSoTheNextRequestSeesTheToken() {
    JwtSession engine = engine();
    RecordingCookieSink login = new RecordingCookieSink();
    List<Object> roles = new ArrayList<>(List.of("user"));
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("teams", new ArrayList<>(List.of("blue")));
    engine
        .resolve(null, login)
        .login(Payloads.accessOnly(Map.of("sub", "a", "roles", roles, "profile", profile)));
    String cookies = RecordingCookieSink.cookieHeader(jar(login));

    Claims first = resolve(engine, cookies).claims();
    @SuppressWarnings("unchecked")
    List<Object> firstRoles = (List<Object>) first.get("roles");
    @SuppressWarnings("unchecked")
    Map<String, Object> firstProfile = (Map<String, Object>) first.get("profile");
    @SuppressWarnings("unchecked")
    List<Object> teams = (List<Object>) firstProfile.get("teams");
    assertThatThrownBy(() -> firstRoles.add("admin"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> firstProfile.put("admin", true))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> teams.add("red")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.userClaims().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    roles.add("admin"); // the login's own payload objects are not shared either

    Claims second = resolve(engine, cookies).claims(); // a cache hit: the same verified claims
    assertThat(second.strings("roles")).containsExactly("user");
    assertThat(second.get("profile")).isEqualTo(Map.of("teams", List.of("blue")));
  }

  // ---- item 9: a login replacing a live session revokes the older family

  @Test
  void loginOnARequestThatCarriesALiveSessionRevokesTheOlderFamily() {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    JwtSession engine =
        engine(
            b ->
                b.reauth(r -> Optional.of(Payloads.of(r.userClaims(), r.userClaims())))
                    .rotation(r -> r.store(store)));
    RecordingCookieSink first = new RecordingCookieSink();
    Session alice = engine.resolve(null, first);
    alice.login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
    String oldFamily = alice.familyId().orElseThrow();
    String oldCookies = RecordingCookieSink.cookieHeader(jar(first));

    RecordingCookieSink second = new RecordingCookieSink();
    Session again = engine.resolve(oldCookies, second);
    again.login(Payloads.of(Map.of("sub", "bob"), Map.of("sub", "bob")));

    assertThat(again.familyId()).isNotEqualTo(Optional.of(oldFamily));
    assertThat(store.isActive(oldFamily, clock.instant())).isFalse();
    assertThat(store.isActive(again.familyId().orElseThrow(), clock.instant())).isTrue();
    clock.advance(Duration.ofMinutes(2)); // the old refresh token can no longer renew anything
    assertThat(resolve(engine, "app_refresh=" + jar(first).get("app_refresh")).isAuthenticated())
        .isFalse();
  }

  @Test
  void secondLoginInOneRequestRevokesTheFirst() {
    RefreshTokenStore store = InMemoryRefreshTokenStore.create();
    JwtSession engine = engine(b -> b.rotation(r -> r.store(store)));
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(null, sink);

    session.login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
    String first = session.familyId().orElseThrow();
    session.login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));

    assertThat(store.isActive(first, clock.instant())).isFalse();
    assertThat(store.isActive(session.familyId().orElseThrow(), clock.instant())).isTrue();
    assertThat(sink.headers()).hasSize(2);
  }
}
