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

  @Test
  void aMalformedRedisUrlIsReportedWithItsPasswordRedacted() {
    for (String url :
        new String[] {
          "redis://app:hunter2@",
          "http://app:hunter2@127.0.0.1:6379",
          "redis//:hunter2@127.0.0.1",
          "redis://:hunter2@[::1", // Lettuce's own message would quote the whole URL
          "redis://:hun ter2@host"
        }) {
      assertThatExceptionOfType(JwtSessionConfigException.class)
          .as(url)
          .isThrownBy(() -> RedisRefreshTokenStore.builder().uri(url).build())
          .withMessageContaining("redis.uri: '")
          .withMessageContaining("is not a Redis URL")
          .withMessageContaining("***")
          .withMessageNotContaining("hunter2");
    }
  }

  @Test
  void redactionKeepsHostAndPortAndHidesUserInfo() {
    assertThat(RedisRefreshTokenStore.redacted("rediss://app:s3cret@redis.internal:6380/0"))
        .isEqualTo("rediss://***@redis.internal:6380/0");
    assertThat(RedisRefreshTokenStore.redacted("redis://redis.internal:6379"))
        .isEqualTo("redis://redis.internal:6379");
    assertThat(RedisRefreshTokenStore.redacted("redis://h:1?password=s3cret&db=0"))
        .isEqualTo("redis://h:1?password=***&db=0");
  }
}
