package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.ACCESS_HEADER;
import static dev.jwtsession.fixtures.TokenForge.REFRESH_HEADER;
import static dev.jwtsession.fixtures.TokenForge.hs256;
import static dev.jwtsession.fixtures.TokenForge.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.EngineHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Claims rules of RFC 7519 §4.1 as jwt-session applies them: {@code exp} required, {@code nbf} and
 * {@code iat} honoured, all three with the clock-skew leeway; optional issuer and audience; and
 * what a login payload may hold (no managed claims, a cookie of at most 4096 bytes).
 */
class ClaimsValidationTest extends EngineHarness {

  final long now = clock.instant().getEpochSecond();

  boolean accepted(JwtSession engine, String token) {
    listener.clear();
    return resolve(engine, "app_session=" + token).isAuthenticated();
  }

  void assertRefused(JwtSession engine, String token, RejectionReason reason) {
    assertThat(accepted(engine, token)).as("authenticated").isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:" + reason);
  }

  // ---- leeway

  @Test
  void defaultLeewayIsFiveSecondsPastExp() {
    JwtSession engine = engine(b -> {});
    String token = loginToken(engine);

    clock.advance(Duration.ofSeconds(65).minusMillis(1));
    assertThat(accepted(engine, token)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertRefused(engine, token, RejectionReason.EXPIRED);
    assertThat(JwtSession.DEFAULT_LEEWAY).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void zeroLeewayRefusesAtExpExactly() {
    JwtSession engine = engine(b -> b.leeway(Duration.ZERO));
    String token = loginToken(engine);

    clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(accepted(engine, token)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertRefused(engine, token, RejectionReason.EXPIRED);
  }

  @Test
  void configuredLeewayExtendsExp() {
    JwtSession engine = engine(b -> b.leeway(Duration.ofSeconds(30)));
    String token = loginToken(engine);

    clock.advance(Duration.ofSeconds(89));
    assertThat(accepted(engine, token)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertRefused(engine, token, RejectionReason.EXPIRED);
  }

  @Test
  void leewayOutsideZeroToFiveMinutesFailsTheBuild() {
    assertThatThrownBy(() -> engine(b -> b.leeway(Duration.ofMinutes(6))))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("leeway: is PT6M; it must be between 0 and 5 minutes");
    assertThatThrownBy(() -> engine(b -> b.leeway(Duration.ofSeconds(-1))))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("leeway: is PT-1S; it must be between 0 and 5 minutes");
  }

  @Test
  void nbfWithinTheLeewayIsAcceptedAndBeyondItRefused() {
    JwtSession engine = engine(b -> {});

    assertThat(
            accepted(
                engine,
                hs256(
                    ACCESS_HEADER,
                    payload("\"nbf\":" + (now + 5) + ",\"exp\":" + (now + 60)),
                    ACCESS_SECRET)))
        .isTrue();
    assertRefused(
        engine,
        hs256(
            ACCESS_HEADER,
            payload("\"nbf\":" + (now + 6) + ",\"exp\":" + (now + 60)),
            ACCESS_SECRET),
        RejectionReason.NOT_YET_VALID);
  }

  @Test
  void nbfIsHonouredOnceItIsReached() {
    JwtSession engine = engine(b -> b.leeway(Duration.ZERO));
    String token =
        hs256(
            ACCESS_HEADER,
            payload("\"nbf\":" + (now + 30) + ",\"exp\":" + (now + 60)),
            ACCESS_SECRET);

    assertRefused(engine, token, RejectionReason.NOT_YET_VALID);
    clock.advance(Duration.ofSeconds(30));
    assertThat(accepted(engine, token)).isTrue();
  }

  @Test
  void iatWithinTheLeewayIsAcceptedAndBeyondItRefused() {
    JwtSession engine = engine(b -> {});

    assertThat(
            accepted(
                engine,
                hs256(
                    ACCESS_HEADER,
                    payload("\"iat\":" + (now + 5) + ",\"exp\":" + (now + 60)),
                    ACCESS_SECRET)))
        .isTrue();
    assertRefused(
        engine,
        hs256(
            ACCESS_HEADER,
            payload("\"iat\":" + (now + 6) + ",\"exp\":" + (now + 60)),
            ACCESS_SECRET),
        RejectionReason.ISSUED_IN_FUTURE);
  }

  // ---- claim shapes

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"sub\":42",
        "\"sub\":\"\"",
        "\"sid\":[\"a\"]",
        "\"jti\":null",
        "\"rot\":-1",
        "\"rot\":\"1\"",
        "\"aex\":\"later\""
      })
  void managedClaimOfTheWrongTypeIsRefused(String member) {
    assertRefused(
        engine(b -> {}),
        hs256(ACCESS_HEADER, payload("\"exp\":" + (now + 60) + "," + member), ACCESS_SECRET),
        RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void refreshTokenWithoutJtiOrSidIsRefused() {
    JwtSession engine = engine(b -> {});
    for (String members :
        new String[] {"\"sid\":\"f\"", "\"jti\":\"j\"", "\"sid\":\"f\",\"jti\":7"}) {
      listener.clear();
      String token =
          hs256(REFRESH_HEADER, payload("\"exp\":" + (now + 60) + "," + members), REFRESH_SECRET);

      assertThat(resolve(engine, "app_refresh=" + token).isAuthenticated()).isFalse();
      assertThat(listener.events()).containsExactly("rejected:REFRESH:INVALID_CLAIMS");
    }
  }

  // ---- issuer and audience

  @Test
  void configuredIssuerIsWrittenAndRequired() {
    JwtSession engine = engine(b -> b.issuer("https://auth.example"));
    String own = loginToken(engine);
    assertThat(resolve(engine, "app_session=" + own).claims().issuer())
        .contains("https://auth.example");

    for (String iss :
        new String[] {
          "",
          ",\"iss\":\"https://evil.example\"",
          ",\"iss\":[\"https://auth.example\"]",
          ",\"iss\":\"HTTPS://AUTH.EXAMPLE\""
        }) {
      assertRefused(
          engine,
          hs256(ACCESS_HEADER, payload("\"exp\":" + (now + 60) + iss), ACCESS_SECRET),
          RejectionReason.WRONG_ISSUER);
    }
  }

  @Test
  void tokenOfAnEngineWithoutIssuerIsRefusedWhereOneIsRequired() {
    String token = loginToken(engine(b -> {}));

    assertRefused(
        engine(b -> b.issuer("https://auth.example")), token, RejectionReason.WRONG_ISSUER);
  }

  @Test
  void configuredAudienceIsWrittenAndRequired() {
    JwtSession engine = engine(b -> b.audience("shop"));
    assertThat(resolve(engine, "app_session=" + loginToken(engine)).claims().get("aud"))
        .isEqualTo("shop");

    assertThat(
            accepted(
                engine,
                hs256(
                    ACCESS_HEADER,
                    payload("\"exp\":" + (now + 60) + ",\"aud\":[\"other\",\"shop\"]"),
                    ACCESS_SECRET)))
        .isTrue();
    for (String aud :
        new String[] {
          "",
          ",\"aud\":\"other\"",
          ",\"aud\":[\"other\"]",
          ",\"aud\":[]",
          ",\"aud\":{\"shop\":true}"
        }) {
      assertRefused(
          engine,
          hs256(ACCESS_HEADER, payload("\"exp\":" + (now + 60) + aud), ACCESS_SECRET),
          RejectionReason.WRONG_AUDIENCE);
    }
  }

  // ---- login payloads

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exp", "iat", "nbf", "jti", "sid", "rot", "aex"})
  void loginRefusesAPayloadThatSetsAManagedClaim(String claim) {
    JwtSession engine = engine(b -> {});
    Session session = engine.resolve(null, sink);

    assertThatThrownBy(() -> session.login(Payloads.accessOnly(Map.of("sub", "x", claim, 1L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the access payload sets '" + claim + "', which jwt-session manages");
    assertThatThrownBy(() -> session.login(Payloads.of(Map.of("sub", "x"), Map.of(claim, "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the refresh payload sets '" + claim + "'");
    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void loginRefusesIssuerAndAudienceWhenTheyAreConfigured() {
    Session session =
        engine(b -> b.issuer("https://auth.example").audience("shop")).resolve(null, sink);

    for (String claim : List.of("iss", "aud")) {
      assertThatThrownBy(() -> session.login(Payloads.accessOnly(Map.of(claim, "x"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sets '" + claim + "', which jwt-session manages");
    }
  }

  @Test
  void loginRefusesAnAccessCookieOver4096BytesNamingItsSize() {
    Session session = engine(b -> {}).resolve(null, sink);

    assertThatThrownBy(
            () -> session.login(Payloads.accessOnly(Map.of("sub", "x", "blob", "A".repeat(3000)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(
            "the access cookie would be \\d{4} bytes, over the 4096 bytes browsers" + " keep; .*");
    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void loginRefusesARefreshCookieOver4096BytesBeforeWritingEither() {
    Session session = engine(b -> {}).resolve(null, sink);

    assertThatThrownBy(
            () ->
                session.login(
                    Payloads.of(Map.of("sub", "x"), Map.of("sub", "x", "blob", "A".repeat(3000)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("the refresh cookie would be \\d{4} bytes, over the 4096 bytes .*");
    assertThat(session.isAuthenticated()).isFalse();
    assertThat(sink.headers()).isEmpty();
  }

  @Test
  void loginAcceptsAPayloadJustUnderTheCookieLimit() {
    Session session = engine(b -> {}).resolve(null, sink);

    session.login(Payloads.accessOnly(Map.of("sub", "x", "blob", "A".repeat(2800))));

    assertThat(session.isAuthenticated()).isTrue();
    assertThat(sink.header("app_session").orElseThrow().indexOf(';')).isLessThanOrEqualTo(4096);
  }
}
