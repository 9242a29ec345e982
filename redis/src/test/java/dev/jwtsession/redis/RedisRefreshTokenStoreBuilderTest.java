package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.jwtsession.JwtSessionConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisRefreshTokenStoreBuilderTest {

  @Test
  void buildWithoutARedisTargetNamesTheMissingSetting() {
    assertThatExceptionOfType(JwtSessionConfigException.class)
        .isThrownBy(() -> RedisRefreshTokenStore.builder().build())
        .withMessageContaining("redis.uri: missing");
  }

  @Test
  void buildReportsEveryProblemAtOnce() {
    RedisRefreshTokenStore.Builder builder =
        RedisRefreshTokenStore.builder()
            .uri("redis://127.0.0.1:1")
            .uri("redis://127.0.0.1:2")
            .keyPrefix("app{1}:")
            .commandTimeout(Duration.ZERO)
            .expiryMargin(Duration.ofSeconds(-1));

    assertThatExceptionOfType(JwtSessionConfigException.class)
        .isThrownBy(builder::build)
        .withMessageContaining("uri: more than one")
        .withMessageContaining("keyPrefix:")
        .withMessageContaining("commandTimeout:")
        .withMessageContaining("expiryMargin:");
  }

  @Test
  void settingTheSameOptionTwiceIsAnError() {
    RedisRefreshTokenStore.Builder builder =
        RedisRefreshTokenStore.builder()
            .uri("redis://127.0.0.1:1")
            .commandTimeout(Duration.ofMillis(100))
            .commandTimeout(Duration.ofMillis(200));

    assertThatExceptionOfType(JwtSessionConfigException.class)
        .isThrownBy(builder::build)
        .withMessageContaining("commandTimeout: set twice");
  }

  @Test
  void toStringNamesTheTargetAndSettingsButNoPassword() {
    try (RedisRefreshTokenStore store =
        RedisRefreshTokenStore.builder()
            .uri("redis://:hunter2@127.0.0.1:1")
            .commandTimeout(Duration.ofMillis(50))
            .build()) {
      assertThat(store.toString())
          .contains("127.0.0.1:1")
          .contains("jwt-session:")
          .doesNotContain("hunter2");
    }
  }
}
