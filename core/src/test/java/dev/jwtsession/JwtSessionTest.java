package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JwtSessionTest {

  static final String ACCESS_SECRET = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH_SECRET = "test-refresh-secret-that-is-32-bytes-long";

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final AtomicReference<Claims> reauthReceived = new AtomicReference<>();
  final AtomicInteger reauthCalls = new AtomicInteger();

  JwtSession.Builder builder() {
    return JwtSession.builder()
        .access(
            t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).secret(ACCESS_SECRET))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener);
  }

  JwtSession withReauth() {
    return builder()
        .reauth(
            refresh -> {
              reauthCalls.incrementAndGet();
              reauthReceived.set(refresh);
              return Optional.of(
                  Payloads.of(
                      Map.of("sub", refresh.subject().orElseThrow(), "role", "admin"),
                      refresh.userClaims()));
            })
        .build();
  }

  /** Rotation on (in-memory store, 5 s grace), reauth re-issuing the refresh claims. */
  JwtSession rotatingEngine() {
    return builder()
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .rotation(r -> r.reuseGrace(Duration.ofSeconds(5)))
        .build();
  }

  /** Logs in and returns the cookie jar the browser would hold. */
  Map<String, String> login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(null, sink);
    session.login(Payloads.of(Map.of("sub", "j@doe", "role", "admin"), Map.of("sub", "j@doe")));
    return sink.applyTo(Map.of());
  }

  @Test
  void loginSetsBothCookiesWithSecureDefaultsAndAuthenticatesTheSameRequest() {
    JwtSession engine = withReauth();
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(null, sink);

    session.login(Payloads.of(Map.of("sub", "j@doe", "role", "admin"), Map.of("sub", "j@doe")));

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(session.subject()).contains("j@doe");
    assertThat(session.claims().string("role")).contains("admin");
    assertThat(sink.headers()).hasSize(2);
    assertThat(sink.header("app_session").orElseThrow())
        .contains(
            "; Max-Age=60; Expires=Thu, 01 Jan 2026 00:01:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(sink.header("app_refresh").orElseThrow()).contains("; Max-Age=604800;");
    assertThat(listener.events()).containsExactly("loggedIn");
  }

  @Test
  void validAccessCookieAuthenticatesAndWritesNoCookie() {
    JwtSession engine = withReauth();
    Map<String, String> jar = login(engine);

    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(session.reauthenticated()).isFalse();
    assertThat(session.claims().expiresAt()).contains(clock.instant().plusSeconds(60));
    assertThat(session.claims().issuedAt()).contains(clock.instant());
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void expiredAccessWithValidRefreshIsRenewedInSameRequest() {
    JwtSession engine = withReauth();
    Map<String, String> jar = login(engine);
    clock.advance(Duration.ofSeconds(120));

    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(session.reauthenticated()).isTrue();
    assertThat(session.refreshCount()).isEqualTo(1);
    assertThat(reauthReceived.get().subject()).contains("j@doe");
    assertThat(reauthReceived.get().jwtId()).isPresent();
    assertThat(sink.value("app_session")).isPresent().get().isNotEqualTo(jar.get("app_session"));
    assertThat(sink.value("app_refresh")).isPresent().get().isNotEqualTo(jar.get("app_refresh"));
  }

  @Test
  void expiredAccessWithoutReauthIsAnonymousAndLeavesTheRefreshCookieAlone() {
    JwtSession engine = builder().build();
    Map<String, String> jar = login(engine);
    clock.advance(Duration.ofSeconds(120));

    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.clears("app_session")).isTrue();
    assertThat(sink.header("app_refresh")).isEmpty();
  }

  @Test
  void reauthRefusalClearsBothCookies() {
    JwtSession engine = builder().reauth(refresh -> Optional.empty()).build();
    Map<String, String> jar = login(engine);
    clock.advance(Duration.ofSeconds(120));

    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.clears("app_session")).isTrue();
    assertThat(sink.clears("app_refresh")).isTrue();
    assertThat(listener.events()).contains("reauthRefused");
  }

  @Test
  void tamperedAccessCookieIsClearedAndNeverAuthenticates() {
    JwtSession engine = builder().build();
    Map<String, String> jar = login(engine);
    String token = jar.get("app_session");
    // Change one signature character away from the last, whose spare bits must stay zero.
    int at = token.length() - 5;
    String tampered =
        token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);

    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve("app_session=" + tampered, sink);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.clears("app_session")).isTrue();
    assertThat(listener.events()).contains("rejected:ACCESS:BAD_SIGNATURE");
  }

  @Test
  void logoutClearsBothCookiesWithTheirPath() {
    JwtSession engine = builder().build();
    Map<String, String> jar = login(engine);
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

    session.logout();

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.header("app_session").orElseThrow())
        .startsWith("app_session=; Max-Age=0;")
        .contains("Path=/");
    assertThat(sink.clears("app_refresh")).isTrue();
  }

  @Test
  void loginAfterCommitIsRefusedWithAMessageThatSaysWhatToDo() {
    JwtSession engine = builder().build();
    RecordingCookieSink sink = new RecordingCookieSink();
    Session session = engine.resolve(null, sink);
    sink.commit();

    assertThatThrownBy(() -> session.login(Payloads.accessOnly(Map.of("sub", "x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call it before writing the body");
  }

  @Test
  void builderReportsEveryProblemNamingTheSetting() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(t -> t.secret("short"))
                    .refresh(t -> t.cookieName("bad name").maxAge(Duration.ofDays(1)))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("access.cookieName: is missing")
        .hasMessageContaining("access.maxAge: is missing")
        .hasMessageContaining("access.secret: is 5 bytes; HS256 needs at least 32")
        .hasMessageContaining("refresh.cookieName: 'bad name' is not a valid cookie name")
        .hasMessageContaining("refresh.secret: is missing");
  }

  @Test
  void rotationRotatesAndDetectsReuseOfAnAncestorAfterItsSuccessorWasUsedAndTheGrace() {
    JwtSession engine = rotatingEngine();
    Map<String, String> jar = login(engine);
    clock.advance(Duration.ofSeconds(120));
    RecordingCookieSink first = new RecordingCookieSink();
    assertThat(engine.resolve(RecordingCookieSink.cookieHeader(jar), first).reauthenticated())
        .isTrue();
    Map<String, String> rotated = first.applyTo(jar);
    clock.advance(Duration.ofSeconds(120));
    RecordingCookieSink second = new RecordingCookieSink();
    assertThat(
            engine.resolve("app_refresh=" + rotated.get("app_refresh"), second).reauthenticated())
        .isTrue();

    clock.advance(Duration.ofSeconds(10));
    RecordingCookieSink replay = new RecordingCookieSink();
    Session replayed = engine.resolve("app_refresh=" + jar.get("app_refresh"), replay);

    assertThat(replayed.isAuthenticated()).isFalse();
    assertThat(replay.clears("app_refresh")).isTrue();
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(120));
    Session successor =
        engine.resolve("app_refresh=" + rotated.get("app_refresh"), new RecordingCookieSink());
    assertThat(successor.isAuthenticated()).isFalse();
  }

  @Test
  void logoutWithinTheGraceWindowAlsoEndsTheRefreshTokenItJustRotated() {
    JwtSession engine = rotatingEngine();
    Map<String, String> jar = login(engine);
    clock.advance(Duration.ofSeconds(120));
    RecordingCookieSink renewal = new RecordingCookieSink();
    assertThat(engine.resolve(RecordingCookieSink.cookieHeader(jar), renewal).reauthenticated())
        .isTrue();
    Map<String, String> rotated = renewal.applyTo(jar);
    engine.resolve(RecordingCookieSink.cookieHeader(rotated), new RecordingCookieSink()).logout();

    RecordingCookieSink replay = new RecordingCookieSink();
    Session replayed = engine.resolve("app_refresh=" + jar.get("app_refresh"), replay);

    assertThat(replayed.isAuthenticated()).isFalse();
    assertThat(replay.clears("app_refresh")).isTrue();
  }

  @Test
  void logoutOfARequestWithoutSessionCookiesSetsNoCookie() {
    JwtSession engine = builder().build();
    RecordingCookieSink sink = new RecordingCookieSink();

    engine.resolve("theme=dark", sink).logout();

    assertThat(sink.headers())
        .as("a cross-site POST stripped of its cookies by SameSite must not delete them either")
        .isEmpty();
    assertThat(listener.events()).containsExactly("loggedOut");
  }
}
