package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.accessPayload;
import static dev.jwtsession.fixtures.TokenForge.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every attack of {@link Rfc8725JwtBcpTest} again, with {@code svelteKitInterop(true)} on the HMAC
 * engines: nothing refused without the mode becomes accepted with it, except the documented hook
 * shape. The overrides below are exactly those differences: the hook's own headers authenticate,
 * and one secret shared by both token types is a configuration error in the mode (only the keys
 * separate hook-shaped access and refresh tokens).
 */
class Rfc8725JwtBcpWithSvelteKitInteropTest extends Rfc8725JwtBcpTest {

  @Override
  boolean svelteKitInterop() {
    return true;
  }

  @Override
  @ParameterizedTest(name = "header: {0}")
  @ValueSource(
      strings = {
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"alg\":\"HS256\"}",
        "{\"alg\":\"HS256\",\"typ\":\"rt+jwt\"}",
        "{\"alg\":\"HS256\",\"typ\":\"AT+JWT\"}"
      })
  void accessTokenWithAnotherTypIsRefusedEvenWithTheRealSecret(String header) {
    String token = hs256(header, accessPayload(now, ""), ACCESS_SECRET);
    if (header.contains("\"JWT\"") || !header.contains("typ")) {
      // The documented hook shape, signed with the access secret: accepted, and only this.
      assertThat(resolve(hmacEngine(), "app_session=" + token).subject()).contains("mallory");
      assertThat(listener.events()).isEmpty();
    } else {
      assertAccessRefused(hmacEngine(), token, RejectionReason.WRONG_TOKEN_TYPE);
    }
  }

  @Override
  @Test
  void accessTokenPresentedAsRefreshTokenIsRefusedWithASharedSecret() {
    assertSharedSecretIsAConfigurationError();
  }

  @Override
  @Test
  void refreshTokenPresentedAsAccessTokenIsRefusedWithASharedSecret() {
    assertSharedSecretIsAConfigurationError();
  }

  @Override
  @Test
  void swappedCookiesWithASharedSecretAuthenticateNeitherWay() {
    assertSharedSecretIsAConfigurationError();
  }

  void assertSharedSecretIsAConfigurationError() {
    assertThatThrownBy(this::sharedSecretEngine)
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("svelteKitInterop: access and refresh use the same secret");
  }

  @Test
  void swappedCookiesWithDistinctSecretsAuthenticateNeitherWay() {
    JwtSession engine = hmacEngine();
    Map<String, String> jar = login(engine);

    Session session =
        resolve(
            engine,
            "app_session=" + jar.get("app_refresh") + "; app_refresh=" + jar.get("app_session"));

    assertThat(session.isAuthenticated()).isFalse();
    assertThat(listener.events())
        .containsExactly("rejected:ACCESS:WRONG_TOKEN_TYPE", "rejected:REFRESH:WRONG_TOKEN_TYPE");
  }

  @Test
  void hookShapedRefreshTokenInTheAccessSlotIsRefusedByItsKey() {
    String refresh =
        hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", accessPayload(now, ""), REFRESH_SECRET);

    assertAccessRefused(hmacEngine(), refresh, RejectionReason.BAD_SIGNATURE);
  }
}
