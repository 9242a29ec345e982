package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable revocations on a standalone Redis without any replica: the {@code WAIT} cannot be
 * satisfied, so a revocation must fail closed instead of pretending to be durable.
 */
class DurableWritesTest {

  private final Instant now = Instant.now();
  private RedisServerProcess redis;

  @BeforeEach
  void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  @Test
  void aRevocationThatNoReplicaAcknowledgesFailsClosedYetIsDoneOnTheMaster() {
    try (RedisRefreshTokenStore store =
        RedisRefreshTokenStore.builder()
            .uri(redis.uri())
            .durableWrites(1, Duration.ofMillis(50))
            .build()) {
      store.register(
          new FamilyRecord("f1", "alice", "j1", now.plusSeconds(600), now.plusSeconds(3600)));

      assertThatThrownBy(() -> store.revokeFamily("f1"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("0 of the 1 replicas");
      assertThat(store.isActive("f1", now)).isFalse();
      assertThat(store.toString()).contains("durableWrites=1 replicas/50 ms");
    }
  }

  @Test
  void aLogoutWhoseRevocationNoReplicaAcknowledgesTellsTheApplicationAndTheListener() {
    try (RedisRefreshTokenStore store =
        RedisRefreshTokenStore.builder()
            .uri(redis.uri())
            .durableWrites(1, Duration.ofMillis(50))
            .build()) {
      CapturingListener listener = new CapturingListener();
      JwtSession engine =
          JwtSession.builder()
              .access(
                  t ->
                      t.cookieName("app_session")
                          .maxAge(Duration.ofSeconds(60))
                          .secret("durable-test-access-secret-of-32-bytes!!"))
              .refresh(
                  t ->
                      t.cookieName("app_refresh")
                          .maxAge(Duration.ofDays(7))
                          .secret("durable-test-refresh-secret-of-32-bytes!"))
              .rotation(r -> r.store(store))
              .listener(listener)
              .build();
      RecordingCookieSink login = new RecordingCookieSink();
      engine
          .resolve(null, login)
          .login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
      RecordingCookieSink out = new RecordingCookieSink();

      boolean revoked =
          engine.resolve(RecordingCookieSink.cookieHeader(login.applyTo(Map.of())), out).logout();

      assertThat(revoked).as("the revocation was not confirmed by a replica").isFalse();
      assertThat(listener.events()).contains("revocationFailed");
      assertThat(out.clears("app_refresh")).isTrue();
    }
  }

  @Test
  void aTheftDetectionThatNoReplicaAcknowledgesIsRefusedNotReportedAsARotation() {
    try (RedisRefreshTokenStore store =
        RedisRefreshTokenStore.builder()
            .uri(redis.uri())
            .durableWrites(1, Duration.ofMillis(50))
            .build()) {
      store.register(
          new FamilyRecord("f1", "alice", "j1", now.plusSeconds(600), now.plusSeconds(3600)));
      store.rotate(
          new dev.jwtsession.spi.RotationRequest(
              "f1", "j1", "j2", now, Duration.ZERO, now.plusSeconds(600)));

      assertThatThrownBy(
              () ->
                  store.rotate(
                      new dev.jwtsession.spi.RotationRequest(
                          "f1",
                          "a-jti-the-family-never-issued",
                          "j3",
                          now.plusSeconds(1),
                          Duration.ZERO,
                          now.plusSeconds(600))))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(store.isActive("f1", now)).isFalse();
    }
  }

  @Test
  void durableWritesNeedAPositiveTimeoutShorterThanTheCommandTimeout() {
    assertThatThrownBy(
            () ->
                RedisRefreshTokenStore.builder()
                    .uri(redis.uri())
                    .durableWrites(1, Duration.ZERO)
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("redis.durableWrites: timeout must be positive");
    assertThatThrownBy(
            () ->
                RedisRefreshTokenStore.builder()
                    .uri(redis.uri())
                    .durableWrites(1, Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("shorter than the command timeout");
  }
}
