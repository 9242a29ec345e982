package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against a real {@code redis-server}, plus the Redis key layout. */
class RedisRefreshTokenStoreContractTest extends RefreshTokenStoreContract {

  private static RedisServerProcess server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void startRedis() {
    server = RedisServerProcess.start();
    client = RedisClient.create(server.uri());
    admin = client.connect();
  }

  @AfterAll
  static void stopRedis() {
    if (admin != null) {
      admin.close();
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected RefreshTokenStore newStore() {
    redis().flushall();
    return RedisRefreshTokenStore.builder().client(client).build();
  }

  @Override
  protected void closeStore(RefreshTokenStore store) {
    ((RedisRefreshTokenStore) store).close();
  }

  private static RedisCommands<String, String> redis() {
    return admin.sync();
  }

  @Test
  void aFamilyLivesInOneHashTaggedKeyThatRedisDeletesAtItsExpiryPlusTheMargin() {
    String family = registerFamily("alice", "jti-1");

    String key = "jwt-session:family:{" + family + "}";
    assertThat(redis().keys("*")).containsExactlyInAnyOrder(key, "jwt-session:subject:{alice}");
    assertThat(redis().hgetall(key)).containsOnlyKeys("cur", "exp", "abs");
    assertThat(redis().pexpiretime(key))
        .isEqualTo(t0.plus(LIFETIME).plusSeconds(60).toEpochMilli());
    assertThat(redis().pexpiretime("jwt-session:subject:{alice}"))
        .isEqualTo(t0.plus(ABSOLUTE).plusSeconds(60).toEpochMilli());
  }

  @Test
  void rotationMovesThePhysicalExpiryAndKeepsTheSuccessorOnlyForTheGraceWindow() {
    String family = registerFamily("alice", "jti-1");
    store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));

    String key = "jwt-session:family:{" + family + "}";
    assertThat(redis().pexpiretime(key))
        .isEqualTo(t0.plusSeconds(60).plus(LIFETIME).plusSeconds(60).toEpochMilli());
    long successorTtl = redis().pttl(key + ":successor");
    assertThat(successorTtl)
        .isPositive()
        .isLessThanOrEqualTo(GRACE.toMillis() + RedisRefreshTokenStore.SKEW_ALLOWANCE_MILLIS);
  }

  @Test
  void theSubjectIndexExpiresWithTheLongestLivedFamilyAndNeverEarlier() {
    registerFamily("alice", "jti-1");
    store.register(
        new dev.jwtsession.spi.FamilyRecord(
            "short", "alice", "jti-s", t0.plusSeconds(10), t0.plusSeconds(20)));

    assertThat(redis().pexpiretime("jwt-session:subject:{alice}"))
        .isEqualTo(t0.plus(ABSOLUTE).plusSeconds(60).toEpochMilli());
  }

  @Test
  void rotationStillWorksAfterRedisForgotTheScripts() {
    String family = registerFamily("alice", "jti-1");
    redis().scriptFlush();

    assertThat(store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(1))).outcome())
        .isEqualTo(dev.jwtsession.spi.RotationResult.Outcome.ROTATED);
  }

  @Test
  void aCustomKeyPrefixIsUsedForEveryKey() {
    try (RedisRefreshTokenStore prefixed =
        RedisRefreshTokenStore.builder().client(client).keyPrefix("app2:").build()) {
      prefixed.register(
          new dev.jwtsession.spi.FamilyRecord(
              "f1", "bob", "j1", t0.plus(LIFETIME), t0.plus(ABSOLUTE)));

      assertThat(redis().keys("*")).containsExactlyInAnyOrder("app2:family:{f1}", "app2:subject:{bob}");
      assertThat(store.isActive("f1", t0)).isFalse();
      assertThat(prefixed.isActive("f1", t0)).isTrue();
    }
  }
}
