package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

  @Test
  void everyVariableHasADemoFriendlyDefault() {
    DemoConfig config = DemoConfig.fromEnv(Map.of());

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.accessMaxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.refreshMaxAge()).isEqualTo(Duration.ofSeconds(604_800));
    assertThat(config.accessCookie()).isEqualTo("jwt_session_access");
    assertThat(config.refreshCookie()).isEqualTo("jwt_session_refresh");
    assertThat(config.secureCookies()).isFalse();
    assertThat(config.reuseGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.redisUrlOrNull()).isNull();
    assertThat(config.secretsGenerated()).isTrue();
  }

  @Test
  void unsetSecretsAreRandom32BytesPerStart() {
    DemoConfig first = DemoConfig.fromEnv(Map.of());
    DemoConfig second = DemoConfig.fromEnv(Map.of());

    assertThat(first.accessSecret()).hasSize(32);
    assertThat(first.refreshSecret()).hasSize(32);
    assertThat(first.accessSecret()).isNotEqualTo(first.refreshSecret());
    assertThat(first.accessSecret()).isNotEqualTo(second.accessSecret());
  }

  @Test
  void everyVariableIsRead() {
    DemoConfig config =
        DemoConfig.fromEnv(
            Map.of(
                "PORT", "9090",
                "JWT_SESSION_ACCESS_SECRET", "a".repeat(40),
                "JWT_SESSION_REFRESH_SECRET", "r".repeat(40),
                "JWT_SESSION_ACCESS_MAX_AGE", "30",
                "JWT_SESSION_REFRESH_MAX_AGE", "3600",
                "JWT_SESSION_ACCESS_COOKIE", "a_cookie",
                "JWT_SESSION_REFRESH_COOKIE", "r_cookie",
                "JWT_SESSION_SECURE_COOKIES", "TRUE",
                "JWT_SESSION_REUSE_GRACE_SECONDS", "0",
                "JWT_SESSION_REDIS_URL", "redis://127.0.0.1:6379"));

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.accessSecret()).isEqualTo("a".repeat(40).getBytes(StandardCharsets.UTF_8));
    assertThat(config.refreshSecret()).isEqualTo("r".repeat(40).getBytes(StandardCharsets.UTF_8));
    assertThat(config.secretsGenerated()).isFalse();
    assertThat(config.accessMaxAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.refreshMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(config.accessCookie()).isEqualTo("a_cookie");
    assertThat(config.refreshCookie()).isEqualTo("r_cookie");
    assertThat(config.secureCookies()).isTrue();
    assertThat(config.reuseGrace()).isZero();
    assertThat(config.redisUrlOrNull()).isEqualTo("redis://127.0.0.1:6379");
  }

  @Test
  void portZeroMeansPickAFreePort() {
    assertThat(DemoConfig.fromEnv(Map.of("PORT", "0")).port()).isZero();
  }

  @Test
  void emptyVariablesTakeTheirDefaults() {
    DemoConfig config = DemoConfig.fromEnv(Map.of("PORT", "", "JWT_SESSION_ACCESS_SECRET", ""));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.accessSecret()).hasSize(32);
  }

  @Test
  void oneSetSecretStillWarnsAboutTheGeneratedOther() {
    DemoConfig config = DemoConfig.fromEnv(Map.of("JWT_SESSION_ACCESS_SECRET", "a".repeat(32)));

    assertThat(config.secretsGenerated()).isTrue();
  }

  @Test
  void invalidPortIsRejectedNamingTheVariable() {
    for (String port : new String[] {"http", "-1", "65536", "80.5"}) {
      assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("PORT", port)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PORT: '" + port + "'");
    }
  }

  @Test
  void nonPositiveOrNonNumericMaxAgesAreRejectedNamingTheVariable() {
    assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("JWT_SESSION_ACCESS_MAX_AGE", "0")))
        .hasMessageContaining("JWT_SESSION_ACCESS_MAX_AGE: '0' is not a whole number between 1");
    assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("JWT_SESSION_REFRESH_MAX_AGE", "7d")))
        .hasMessageContaining("JWT_SESSION_REFRESH_MAX_AGE: '7d'");
  }

  @Test
  void secureCookiesMustBeTrueOrFalse() {
    assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("JWT_SESSION_SECURE_COOKIES", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JWT_SESSION_SECURE_COOKIES: 'yes' is not true or false");
  }

  @Test
  void reuseGraceIsBoundedToFiveMinutes() {
    assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("JWT_SESSION_REUSE_GRACE_SECONDS", "301")))
        .hasMessageContaining("JWT_SESSION_REUSE_GRACE_SECONDS: '301'");
    assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of("JWT_SESSION_REUSE_GRACE_SECONDS", "-1")))
        .hasMessageContaining("JWT_SESSION_REUSE_GRACE_SECONDS: '-1'");
  }

  @Test
  void everyInvalidVariableIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                DemoConfig.fromEnv(
                    Map.of(
                        "PORT",
                        "x",
                        "JWT_SESSION_ACCESS_MAX_AGE",
                        "x",
                        "JWT_SESSION_SECURE_COOKIES",
                        "x")))
        .hasMessageContaining("PORT")
        .hasMessageContaining("JWT_SESSION_ACCESS_MAX_AGE")
        .hasMessageContaining("JWT_SESSION_SECURE_COOKIES");
  }

  @Test
  void toStringNeverPrintsASecret() {
    String secret = "a-very-secret-value-that-is-long-enough";
    DemoConfig config =
        DemoConfig.fromEnv(
            Map.of(
                "JWT_SESSION_ACCESS_SECRET",
                secret,
                "JWT_SESSION_REFRESH_SECRET",
                secret,
                "JWT_SESSION_REDIS_URL",
                "redis://:hunter2@127.0.0.1"));

    assertThat(config.toString()).doesNotContain(secret, "hunter2").contains("from environment");
  }

  @Test
  void clusterSeedNodesAreReadAsRedisUrls() {
    DemoConfig config =
        DemoConfig.fromEnv(
            Map.of(
                "JWT_SESSION_REDIS_CLUSTER_NODES",
                "127.0.0.1:7000, 127.0.0.1:7001,redis://h:7002"));

    assertThat(config.clusterNodes())
        .containsExactly("redis://127.0.0.1:7000", "redis://127.0.0.1:7001", "redis://h:7002");
    assertThat(config.usesRedis()).isTrue();
    assertThat(config.toString()).contains("store=redis-cluster");
  }

  @Test
  void settingBothTheRedisUrlAndTheClusterNodesIsAStartUpErrorNamingBoth() {
    assertThatThrownBy(
            () ->
                DemoConfig.fromEnv(
                    Map.of(
                        "JWT_SESSION_REDIS_URL", "redis://127.0.0.1:6379",
                        "JWT_SESSION_REDIS_CLUSTER_NODES", "127.0.0.1:7000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "JWT_SESSION_REDIS_URL and JWT_SESSION_REDIS_CLUSTER_NODES: both are set");
  }

  @Test
  void aClusterNodeWithoutAPortIsReportedWithoutItsPassword() {
    assertThatThrownBy(
            () ->
                DemoConfig.fromEnv(
                    Map.of("JWT_SESSION_REDIS_CLUSTER_NODES", "127.0.0.1:7000,redis://:hunter2@h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JWT_SESSION_REDIS_CLUSTER_NODES: '***@h' is not host:port")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void theRedisUrlAcceptsASentinelUrl() {
    DemoConfig config =
        DemoConfig.fromEnv(
            Map.of("JWT_SESSION_REDIS_URL", "redis-sentinel://127.0.0.1:26379/0#mymaster"));

    assertThat(config.redisUrlOrNull()).isEqualTo("redis-sentinel://127.0.0.1:26379/0#mymaster");
    assertThat(config.usesRedis()).isTrue();
  }
}
