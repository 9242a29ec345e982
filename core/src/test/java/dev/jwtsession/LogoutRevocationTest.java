package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.BearerTokensTest.SwitchableStore;
import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a logout tells the application when the store cannot revoke the login family (unreachable,
 * or a durable write the replicas did not confirm): the cookies go, but a copy of the refresh token
 * would still renew, so {@link Session#logout()} says so and the listener hears it.
 */
class LogoutRevocationTest extends EngineHarness {

  final SwitchableStore store = new SwitchableStore();

  JwtSession rotating() {
    return engine(
        b ->
            b.reauth(
                    refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
                .rotation(r -> r.store(store)));
  }

  static Map<String, String> login(JwtSession engine, String sub) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(BearerTokensTest.payloads(sub));
    return sink.applyTo(Map.of());
  }

  /** Whether the refresh cookie alone still renews, as a stolen copy would try to. */
  boolean refreshCookieRenews(JwtSession engine, Map<String, String> jar) {
    clock.advance(Duration.ofSeconds(70));
    Session session =
        engine.resolve("app_refresh=" + jar.get("app_refresh"), new RecordingCookieSink());
    return session.isAuthenticated();
  }

  @Test
  void aLogoutWhoseFamilyTheStoreRevokedReturnsTrueAndTheRefreshTokenNoLongerRenews() {
    JwtSession engine = rotating();
    Map<String, String> jar = login(engine, "alice");
    RecordingCookieSink out = new RecordingCookieSink();

    boolean revoked = engine.resolve(RecordingCookieSink.cookieHeader(jar), out).logout();

    assertThat(revoked).isTrue();
    assertThat(out.clears("app_session")).isTrue();
    assertThat(out.clears("app_refresh")).isTrue();
    assertThat(listener.events()).contains("loggedOut").doesNotContain("revocationFailed");
    assertThat(refreshCookieRenews(engine, jar)).isFalse();
  }

  @Test
  void aLogoutTheStoreCannotRevokeClearsTheCookiesButReturnsFalseAndTellsTheListener() {
    JwtSession engine = rotating();
    Map<String, String> jar = login(engine, "alice");
    store.down = true;
    RecordingCookieSink out = new RecordingCookieSink();

    boolean revoked = engine.resolve(RecordingCookieSink.cookieHeader(jar), out).logout();

    assertThat(revoked).isFalse();
    assertThat(out.clears("app_session")).isTrue();
    assertThat(out.clears("app_refresh")).isTrue();
    assertThat(listener.events()).contains("revocationFailed", "loggedOut");
    store.down = false;
    assertThat(refreshCookieRenews(engine, jar))
        .as("a copy of the refresh token still renews: that is why logout() said false")
        .isTrue();
  }

  @Test
  void retryingTheLogoutWithTheSameCookiesOnceTheStoreIsBackRevokesTheFamily() {
    JwtSession engine = rotating();
    Map<String, String> jar = login(engine, "alice");
    String cookies = RecordingCookieSink.cookieHeader(jar);
    store.down = true;
    assertThat(engine.resolve(cookies, new RecordingCookieSink()).logout()).isFalse();
    store.down = false;

    assertThat(engine.resolve(cookies, new RecordingCookieSink()).logout()).isTrue();

    assertThat(refreshCookieRenews(engine, jar)).isFalse();
  }

  @Test
  void withRotationOffThereIsNothingToRevokeSoALogoutReturnsFalseWithoutAFailureEvent() {
    JwtSession engine = engine();
    Map<String, String> jar = login(engine, "alice");
    RecordingCookieSink out = new RecordingCookieSink();

    boolean revoked = engine.resolve(RecordingCookieSink.cookieHeader(jar), out).logout();

    assertThat(revoked).isFalse();
    assertThat(out.clears("app_refresh")).isTrue();
    assertThat(listener.events()).contains("loggedOut").doesNotContain("revocationFailed");
  }

  @Test
  void anAnonymousLogoutRevokesNothingAndReturnsFalse() {
    JwtSession engine = rotating();

    assertThat(engine.resolve(null, new RecordingCookieSink()).logout()).isFalse();
    assertThat(listener.events()).doesNotContain("revocationFailed");
  }

  @Test
  void anApiLogoutTheStoreCannotRevokeReturnsFalseAndTellsTheListener() {
    JwtSession engine = rotating();
    String refresh = login(engine, "alice").get("app_refresh");
    store.down = true;

    assertThat(engine.revokeRefreshToken(refresh)).isFalse();

    assertThat(listener.events()).containsExactly("loggedIn", "revocationFailed");
  }

  @Test
  void logoutEverywhereTheStoreCannotDoThrowsAndKeepsTheCookiesForARetry() {
    JwtSession engine = rotating();
    Map<String, String> jar = login(engine, "alice");
    store.down = true;
    RecordingCookieSink out = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), out);

    assertThatThrownBy(session::logoutEverywhere).isInstanceOf(StoreUnavailableException.class);

    assertThat(out.headers()).isEmpty();
    assertThat(session.isAuthenticated()).isTrue();
  }
}
