package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * API clients at the engine: {@code Authorization: Bearer} resolution (RFC 6750 §2.1), {@code
 * issueTokens}, {@code refreshTokens} and {@code revokeRefreshToken}. Over real HTTP the same rules
 * are tested in the servlet module.
 */
class BearerTokensTest {

  static final String ACCESS_SECRET = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH_SECRET = "test-refresh-secret-that-is-32-bytes-long";

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final RecordingCookieSink sink = new RecordingCookieSink();
  final AtomicInteger reauthCalls = new AtomicInteger();
  final SwitchableStore store = new SwitchableStore();

  JwtSession engine(Consumer<JwtSession.Builder> extras) {
    JwtSession.Builder builder =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret(ACCESS_SECRET))
            .refresh(
                t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
            .reauth(
                refresh -> {
                  reauthCalls.incrementAndGet();
                  return refresh.subject().orElseThrow().equals("refused")
                      ? Optional.empty()
                      : Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
                })
            .clock(clock)
            .listener(listener);
    extras.accept(builder);
    return builder.build();
  }

  JwtSession bearerEngine() {
    return engine(b -> b.bearer(x -> x.enabled(true)));
  }

  JwtSession rotatingBearerEngine() {
    return engine(b -> b.bearer(x -> x.enabled(true)).rotation(r -> r.store(store)));
  }

  static Payloads payloads(String sub) {
    return Payloads.of(Map.of("sub", sub), Map.of("sub", sub));
  }

  Map<String, String> cookieLogin(JwtSession engine, String sub) {
    RecordingCookieSink login = new RecordingCookieSink();
    engine.resolve(null, login).login(payloads(sub));
    return login.applyTo(Map.of());
  }

  // ---- resolve with Authorization

  @Test
  void aValidBearerTokenAuthenticatesAndWritesNothing() {
    JwtSession engine = bearerEngine();
    TokenPair tokens = engine.issueTokens(payloads("alice"));

    Session session = engine.resolve(null, "Bearer " + tokens.accessToken(), sink);

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(session.subject()).contains("alice");
    assertThat(session.authMethod()).isEqualTo(AuthMethod.BEARER);
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndTakesSeveralSpaces() {
    JwtSession engine = bearerEngine();
    String token = engine.issueTokens(payloads("alice")).accessToken();

    assertThat(engine.resolve(null, "bearer " + token, sink).isAuthenticated()).isTrue();
    assertThat(engine.resolve(null, "BEARER   " + token, sink).isAuthenticated()).isTrue();
  }

  @Test
  void aBearerHeaderDecidesAloneAndLeavesAnotherUsersCookiesUntouched() {
    JwtSession engine = bearerEngine();
    String bob = RecordingCookieSink.cookieHeader(cookieLogin(engine, "bob"));
    String alice = engine.issueTokens(payloads("alice")).accessToken();

    Session session = engine.resolve(bob, "Bearer " + alice, sink);

    assertThat(session.subject()).contains("alice");
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void anExpiredBearerTokenIsAnonymousWithoutRenewalEvenWithValidCookies() {
    JwtSession engine = bearerEngine();
    String cookies = RecordingCookieSink.cookieHeader(cookieLogin(engine, "bob"));
    String alice = engine.issueTokens(payloads("alice")).accessToken();
    clock.advance(Duration.ofSeconds(70));
    reauthCalls.set(0);
    listener.clear();

    Session session = engine.resolve(cookies, "Bearer " + alice, sink);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(reauthCalls).hasValue(0);
    assertThat(sink.headers()).isEmpty();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:EXPIRED");
  }

  @Test
  void anotherAuthorizationSchemeIsIgnoredAndCookiesAreUsed() {
    JwtSession engine = bearerEngine();
    String cookies = RecordingCookieSink.cookieHeader(cookieLogin(engine, "bob"));

    Session session = engine.resolve(cookies, "Basic Ym9iOnNlY3JldA==", sink);

    assertThat(session.subject()).contains("bob");
    assertThat(session.authMethod()).isEqualTo(AuthMethod.COOKIE);
    assertThat(engine.isBearerRequest("Basic Ym9iOnNlY3JldA==")).isFalse();
    assertThat(engine.isBearerRequest("Bearerish abc")).isFalse();
  }

  @Test
  void malformedBearerHeadersAreAnonymousAndIgnoreCookies() {
    JwtSession engine = bearerEngine();
    String cookies = RecordingCookieSink.cookieHeader(cookieLogin(engine, "bob"));
    TokenPair tokens = engine.issueTokens(payloads("alice"));
    String token = tokens.accessToken();
    listener.clear();

    Map<String, String> reasons =
        Map.of(
            "Bearer",
            "MALFORMED",
            "Bearer ",
            "MALFORMED",
            "Bearer " + token + " " + token,
            "MALFORMED",
            "Bearer " + token.replace('.', ','),
            "MALFORMED",
            "Bearer a\u00e9b",
            "MALFORMED",
            "Bearer " + "A".repeat(5000),
            "MALFORMED",
            "Bearer " + tokens.refreshToken().orElseThrow(),
            "WRONG_TOKEN_TYPE",
            "Bearer eyJhbGciOiJub25lIn0.e30.",
            "ALG_NOT_ALLOWED");
    for (Map.Entry<String, String> header : reasons.entrySet()) {
      listener.clear();
      RecordingCookieSink response = new RecordingCookieSink();

      Session session = engine.resolve(cookies, header.getKey(), response);

      assertThat(session.isAuthenticated()).as(header.getKey()).isFalse();
      assertThat(response.headers()).as(header.getKey()).isEmpty();
      assertThat(listener.events()).as(header.getKey()).hasSize(1);
      assertThat(listener.events().get(0)).as(header.getKey()).startsWith("rejected:ACCESS:");
    }
    listener.clear();
    engine.resolve(null, "Bearer " + tokens.refreshToken().orElseThrow(), sink);
    assertThat(listener.events()).containsExactly("rejected:ACCESS:WRONG_TOKEN_TYPE");
  }

  @Test
  void withBearerOffTheHeaderIsIgnoredAndCookiesDecide() {
    JwtSession engine = engine(b -> {});
    JwtSession issuer = bearerEngine(); // same keys
    String alice = issuer.issueTokens(payloads("alice")).accessToken();
    String cookies = RecordingCookieSink.cookieHeader(cookieLogin(engine, "bob"));

    assertThat(engine.resolve(null, "Bearer " + alice, sink).isAuthenticated()).isFalse();
    assertThat(engine.resolve(cookies, "Bearer " + alice, sink).subject()).contains("bob");
    assertThat(engine.isBearerRequest("Bearer " + alice)).isFalse();
    assertThat(engine.bearer().enabled()).isFalse();
  }

  @Test
  void theAccessRevocationCheckAppliesToBearerTokens() {
    JwtSession engine =
        engine(
            b ->
                b.bearer(x -> x.enabled(true))
                    .rotation(r -> r.store(store).checkAccessRevocation(true)));
    TokenPair tokens = engine.issueTokens(payloads("alice"));
    assertThat(engine.resolve(null, "Bearer " + tokens.accessToken(), sink).isAuthenticated())
        .isTrue();

    assertThat(engine.revokeRefreshToken(tokens.refreshToken().orElseThrow())).isTrue();

    assertThat(engine.resolve(null, "Bearer " + tokens.accessToken(), sink).isAuthenticated())
        .isFalse();
  }

  @Test
  void loginOnABearerRequestPointsToIssueTokens() {
    JwtSession engine = bearerEngine();
    String token = engine.issueTokens(payloads("alice")).accessToken();
    Session session = engine.resolve(null, "Bearer " + token, sink);

    assertThatThrownBy(() -> session.login(payloads("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issueTokens");
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void logoutOnABearerRequestRevokesTheFamilyAndWritesNoCookie() {
    JwtSession engine = rotatingBearerEngine();
    TokenPair tokens = engine.issueTokens(payloads("alice"));
    Session session = engine.resolve(null, "Bearer " + tokens.accessToken(), sink);
    sink.commit(); // nothing is written, so a committed response does not matter

    session.logout();

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.headers()).isEmpty();
    assertThat(engine.refreshTokens(tokens.refreshToken().orElseThrow()).reason())
        .contains(RejectionReason.REVOKED);
  }

  // ---- issueTokens

  @Test
  void issueTokensFollowsTheLoginPayloadRulesAndRegistersTheFamily() {
    JwtSession engine = rotatingBearerEngine();

    TokenPair tokens = engine.issueTokens(payloads("alice"));

    assertThat(store.registered).hasValue(1);
    assertThat(listener.events()).containsExactly("loggedIn");
    assertThat(tokens.accessExpiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    assertThat(tokens.expiresIn()).isEqualTo(Duration.ofSeconds(60));
    assertThat(tokens.refreshExpiresAt()).contains(clock.instant().plus(Duration.ofDays(7)));
    assertThatThrownBy(() -> engine.issueTokens(Payloads.accessOnly(Map.of("exp", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'exp'");
  }

  @Test
  void aTokenPairNeverPrintsATokenNorDoesARefreshResult() {
    JwtSession engine = rotatingBearerEngine();
    TokenPair tokens = engine.issueTokens(payloads("alice"));
    clock.advance(Duration.ofSeconds(70));
    RefreshResult renewed = engine.refreshTokens(tokens.refreshToken().orElseThrow());

    for (String text : new String[] {tokens.toString(), renewed.toString()}) {
      assertThat(text).doesNotContain("eyJ").doesNotContain(tokens.accessToken());
    }
    assertThat(renewed.toString()).startsWith("RefreshResult[RENEWED");
  }

  // ---- refreshTokens

  @Test
  void refreshRenewsAndARepeatWithinTheGraceWindowGetsTheIdenticalPair() {
    JwtSession engine = rotatingBearerEngine();
    String refresh = engine.issueTokens(payloads("alice")).refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(70));

    RefreshResult first = engine.refreshTokens(refresh);
    clock.advance(Duration.ofSeconds(2));
    RefreshResult second = engine.refreshTokens(refresh);

    assertThat(first.outcome()).isEqualTo(RefreshResult.Outcome.RENEWED);
    TokenPair a = first.tokens().orElseThrow();
    TokenPair b = second.tokens().orElseThrow();
    assertThat(b.accessToken()).isEqualTo(a.accessToken());
    assertThat(b.refreshToken()).isEqualTo(a.refreshToken());
    assertThat(reauthCalls).hasValue(1);
    assertThat(engine.resolve(null, "Bearer " + a.accessToken(), sink).refreshCount()).isEqualTo(1);
  }

  @Test
  void theOldTokenAfterTheGraceWindowIsReuseAndRevokesTheSuccessorToo() {
    JwtSession engine = rotatingBearerEngine();
    String old = engine.issueTokens(payloads("alice")).refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(70));
    String successor = engine.refreshTokens(old).tokens().orElseThrow().refreshToken().get();
    clock.advance(Duration.ofSeconds(70));
    String third = engine.refreshTokens(successor).tokens().orElseThrow().refreshToken().get();
    clock.advance(Duration.ofSeconds(6));
    listener.clear();

    // The successor has been used (it renewed into the third token), so the old token is reuse.
    RefreshResult replay = engine.refreshTokens(old);

    assertThat(replay.outcome()).isEqualTo(RefreshResult.Outcome.REFUSED);
    assertThat(replay.reason()).contains(RejectionReason.REUSE_DETECTED);
    assertThat(listener.events()).contains("reuseDetected");
    assertThat(engine.refreshTokens(third).reason()).contains(RejectionReason.REVOKED);
  }

  @Test
  void refusedRefreshTokensSayWhy() {
    JwtSession engine = rotatingBearerEngine();
    TokenPair tokens = engine.issueTokens(payloads("alice"));
    String refused = engine.issueTokens(payloads("refused")).refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(70));

    assertThat(engine.refreshTokens("garbage").reason()).contains(RejectionReason.MALFORMED);
    assertThat(engine.refreshTokens(tokens.accessToken()).reason())
        .contains(RejectionReason.WRONG_TOKEN_TYPE);
    assertThat(engine.refreshTokens(refused).reason()).contains(RejectionReason.REVOKED);
    assertThat(engine.refreshTokens("garbage").tokens()).isEmpty();
    clock.advance(Duration.ofDays(8));
    assertThat(engine.refreshTokens(tokens.refreshToken().orElseThrow()).reason())
        .contains(RejectionReason.EXPIRED);
  }

  @Test
  void anUnreachableStoreMakesRefreshUnavailableAndTheTokenStillWorksAfterwards() {
    JwtSession engine = rotatingBearerEngine();
    String refresh = engine.issueTokens(payloads("alice")).refreshToken().orElseThrow();
    clock.advance(Duration.ofSeconds(70));
    store.down = true;

    RefreshResult down = engine.refreshTokens(refresh);
    store.down = false;
    RefreshResult back = engine.refreshTokens(refresh);

    assertThat(down.outcome()).isEqualTo(RefreshResult.Outcome.UNAVAILABLE);
    assertThat(down.reason()).isEmpty();
    assertThat(back.outcome()).isEqualTo(RefreshResult.Outcome.RENEWED);
  }

  @Test
  void refreshWithoutAReauthIsAConfigurationError() {
    JwtSession engine =
        JwtSession.builder()
            .access(t -> t.cookieName("a").maxAge(Duration.ofSeconds(60)).secret(ACCESS_SECRET))
            .refresh(t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret(REFRESH_SECRET))
            .build();

    assertThatThrownBy(() -> engine.refreshTokens("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reauth");
  }

  // ---- revokeRefreshToken

  @Test
  void revokingARefreshTokenEndsItsFamilyAndInvalidTokensAnswerFalse() {
    JwtSession engine = rotatingBearerEngine();
    String refresh = engine.issueTokens(payloads("alice")).refreshToken().orElseThrow();

    assertThat(engine.revokeRefreshToken("not-a-token")).isFalse();
    assertThat(engine.revokeRefreshToken(refresh)).isTrue();
    clock.advance(Duration.ofSeconds(70));
    assertThat(engine.refreshTokens(refresh).reason()).contains(RejectionReason.REVOKED);
    store.down = true;
    assertThat(engine.revokeRefreshToken(refresh)).isFalse();
  }

  @Test
  void withoutRotationThereIsNothingToRevoke() {
    JwtSession engine = bearerEngine();
    String refresh = engine.issueTokens(payloads("alice")).refreshToken().orElseThrow();

    assertThat(engine.revokeRefreshToken(refresh)).isFalse();
  }

  /** The in-memory store, counting registrations, with an outage switch. */
  static final class SwitchableStore implements RefreshTokenStore {
    final RefreshTokenStore delegate = InMemoryRefreshTokenStore.create();
    final AtomicInteger registered = new AtomicInteger();
    volatile boolean down;

    private void check() {
      if (down) {
        throw new StoreUnavailableException("test store is down");
      }
    }

    @Override
    public void register(FamilyRecord family) {
      check();
      registered.incrementAndGet();
      delegate.register(family);
    }

    @Override
    public RotationResult rotate(RotationRequest request) {
      check();
      return delegate.rotate(request);
    }

    @Override
    public boolean isActive(String familyId, Instant now) {
      check();
      return delegate.isActive(familyId, now);
    }

    @Override
    public void revokeFamily(String familyId) {
      check();
      delegate.revokeFamily(familyId);
    }

    @Override
    public int revokeSubject(String subject, Instant now) {
      check();
      return delegate.revokeSubject(subject, now);
    }
  }
}
