package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code svelteKitInterop(true)}: cookies shaped as the SvelteKit hook {@code
 * svelte-kit-jwt-session} mints them (node {@code jsonwebtoken}: {@code
 * {"alg":"HS256","typ":"JWT"}} or no {@code typ}, the application's payload plus {@code iat}, maybe
 * {@code exp}) are accepted and renewed; everything else stays as strict as without the mode. The
 * real-library round trip (node {@code jsonwebtoken} over HTTP) is {@code
 * SvelteKitInteropOverHttpTest} in the demo.
 */
class SvelteKitInteropTest extends EngineHarness {

  static final String HOOK_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  static final String HOOK_HEADER_NO_TYP = "{\"alg\":\"HS256\"}";

  final long now = clock.instant().getEpochSecond();

  JwtSession interop(Consumer<JwtSession.Builder> extras) {
    return engine(
        b -> {
          b.svelteKitInterop(true)
              .reauth(
                  refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())));
          extras.accept(b);
        });
  }

  String hookToken(String header, String payload, String secret) {
    return hs256(header, payload, secret);
  }

  String appPayload(String extra) {
    return "{\"sub\":\"j@doe\",\"role\":\"admin\",\"iat\":" + now + extra + "}";
  }

  @Test
  void hookAccessTokenAuthenticatesWithTheApplicationsClaims() {
    Session session =
        resolve(
            interop(b -> {}),
            "app_session=" + hookToken(HOOK_HEADER, appPayload(""), ACCESS_SECRET));

    assertThat(session.subject()).contains("j@doe");
    assertThat(session.claims().userClaims()).isEqualTo(Map.of("sub", "j@doe", "role", "admin"));
    assertThat(session.familyId()).isEmpty();
  }

  @Test
  void hookAccessTokenWithoutTypAuthenticates() {
    Session session =
        resolve(
            interop(b -> {}),
            "app_session=" + hookToken(HOOK_HEADER_NO_TYP, appPayload(""), ACCESS_SECRET));

    assertThat(session.subject()).contains("j@doe");
  }

  @Test
  void hookTokenWithoutExpIsValidUntilIatPlusTheCookiesMaxAgeNeverForever() {
    JwtSession engine = interop(b -> {});
    String token = hookToken(HOOK_HEADER, appPayload(""), ACCESS_SECRET);

    clock.advance(Duration.ofSeconds(60 + 4)); // maxAge 60 s, leeway 5 s
    assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:EXPIRED");
  }

  @Test
  void hookTokenWithItsOwnExpUsesIt() {
    JwtSession engine = interop(b -> {});
    String token = hookToken(HOOK_HEADER, appPayload(",\"exp\":" + (now + 20)), ACCESS_SECRET);

    clock.advance(Duration.ofSeconds(30));

    assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:EXPIRED");
  }

  @Test
  void hookTokenWithNeitherExpNorIatIsRefused() {
    JwtSession engine = interop(b -> {});
    String token = hookToken(HOOK_HEADER, "{\"sub\":\"j@doe\"}", ACCESS_SECRET);

    assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:INVALID_CLAIMS");
  }

  @Test
  void hookRefreshTokenAloneRenewsInTheSameRequest() {
    JwtSession engine = interop(b -> {});
    String refresh =
        hookToken(HOOK_HEADER, "{\"sub\":\"j@doe\",\"iat\":" + now + "}", REFRESH_SECRET);

    Session session = resolve(engine, "app_refresh=" + refresh);

    assertThat(session.subject()).contains("j@doe");
    assertThat(session.reauthenticated()).isTrue();
    assertThat(sink.value("app_session")).isPresent();
    assertThat(sink.value("app_refresh")).isPresent();
    assertThat(session.familyId()).isPresent();
  }

  @Test
  void withRotationAHookRefreshTokenRenewsIntoANewRegisteredFamilyWithReuseDetection() {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    JwtSession engine = interop(b -> b.rotation(r -> r.store(store).reuseGrace(Duration.ZERO)));
    String hookRefresh =
        hookToken(HOOK_HEADER, "{\"sub\":\"j@doe\",\"iat\":" + now + "}", REFRESH_SECRET);

    Session first = resolve(engine, "app_refresh=" + hookRefresh);
    String family = first.familyId().orElseThrow();
    String ourRefresh = sink.value("app_refresh").orElseThrow();
    assertThat(store.isActive(family, clock.instant())).isTrue();

    clock.advance(Duration.ofSeconds(1));
    RecordingCookieSink second = new RecordingCookieSink();
    assertThat(engine.resolve("app_refresh=" + ourRefresh, second).familyId()).contains(family);
    // Protocol v2: a replay is theft only once the successor has been used.
    clock.advance(Duration.ofSeconds(1));
    String successor = second.value("app_refresh").orElseThrow();
    assertThat(engine.resolve("app_refresh=" + successor, new RecordingCookieSink()).familyId())
        .contains(family);
    listener.clear();
    clock.advance(Duration.ofSeconds(1));
    Session replay = resolve(engine, "app_refresh=" + ourRefresh);

    assertThat(replay.isAuthenticated()).isFalse();
    assertThat(listener.events()).contains("rejected:REFRESH:REUSE_DETECTED");
  }

  @Test
  void hookAccessTokenInTheRefreshSlotIsRefusedByItsKey() {
    JwtSession engine = interop(b -> {});
    String access = hookToken(HOOK_HEADER, appPayload(""), ACCESS_SECRET);

    Session session = resolve(engine, "app_refresh=" + access);

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:REFRESH:BAD_SIGNATURE");
  }

  @Test
  void withTheModeOffHookTokensAreRefusedAsToday() {
    JwtSession engine = engine();
    String access = hookToken(HOOK_HEADER, appPayload(""), ACCESS_SECRET);

    assertThat(resolve(engine, "app_session=" + access).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:WRONG_TOKEN_TYPE");
    listener.clear();
    String noTyp = hookToken(HOOK_HEADER_NO_TYP, appPayload(""), ACCESS_SECRET);
    assertThat(resolve(engine, "app_session=" + noTyp).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:WRONG_TOKEN_TYPE");
  }

  @Test
  void hookShapeWithAnotherAlgorithmOrAKidOrAForeignTypIsStillRefused() {
    JwtSession engine = interop(b -> {});
    String[][] cases = {
      {"{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "ALG_NOT_ALLOWED"},
      {"{\"alg\":\"none\",\"typ\":\"JWT\"}", "ALG_NOT_ALLOWED"},
      {"{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}", "WRONG_TOKEN_TYPE"},
      {"{\"alg\":\"HS256\",\"typ\":\"jwt\"}", "WRONG_TOKEN_TYPE"},
      {"{\"alg\":\"HS256\",\"typ\":\"rt+jwt\"}", "WRONG_TOKEN_TYPE"},
      {"{\"alg\":\"HS256\",\"typ\":\"JWT\",\"jku\":\"https://evil\"}", "FORBIDDEN_HEADER"},
    };
    for (String[] attack : cases) {
      listener.clear();
      String token = hookToken(attack[0], appPayload(""), ACCESS_SECRET);
      assertThat(resolve(engine, "app_session=" + token).isAuthenticated()).as(attack[0]).isFalse();
      assertThat(listener.events()).as(attack[0]).containsExactly("rejected:ACCESS:" + attack[1]);
    }
    listener.clear();
    String otherSecret =
        hookToken(HOOK_HEADER, appPayload(""), "another-secret-of-thirty-two-bytes-long!!");
    assertThat(resolve(engine, "app_session=" + otherSecret).isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:BAD_SIGNATURE");
  }

  @Test
  void withRotationAndAccessRevocationAHookAccessTokenStillAuthenticates() {
    JwtSession engine = interop(b -> b.rotation(r -> r.checkAccessRevocation(true)));

    Session session =
        resolve(engine, "app_session=" + hookToken(HOOK_HEADER, appPayload(""), ACCESS_SECRET));

    assertThat(session.subject()).contains("j@doe");
  }

  @Test
  void equalAccessAndRefreshSecretsAreAConfigurationErrorThatSaysWhy() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t -> t.cookieName("a").maxAge(Duration.ofMinutes(1)).secret(ACCESS_SECRET))
                    .refresh(
                        t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret(ACCESS_SECRET))
                    .svelteKitInterop(true)
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("svelteKitInterop: access and refresh use the same secret")
        .hasMessageContaining("only the key tells an access token from a refresh token");
  }

  @Test
  void asymmetricOrEncryptedTokensAreAConfigurationErrorInTheMode() {
    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(
                        t ->
                            t.cookieName("a")
                                .maxAge(Duration.ofMinutes(1))
                                .keys(Keys.of(TestKeys.key("ES256", "k")))
                                .encryption(EncryptionKeys.direct("e", new byte[32])))
                    .refresh(
                        t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret(REFRESH_SECRET))
                    .svelteKitInterop(true)
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("svelteKitInterop: the access signing key is not an HS256 secret")
        .hasMessageContaining("svelteKitInterop: access tokens are encrypted");
  }
}
