package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sentinel (one master, one replica, three Sentinels): the store connects through a {@code
 * redis-sentinel://} URL; the master is killed with SIGKILL while rotations run and the Sentinels
 * promote the replica. The store follows it, no family revoked before the kill is active again, and
 * the logged-out users and false theft alarms are printed.
 */
class SentinelFailoverTest {

  @Test
  void theStoreFollowsThePromotedReplicaAndNoRevokedFamilyIsActiveAgain() throws Exception {
    try (RedisSentinelProcess sentinel = RedisSentinelProcess.start();
        RedisRefreshTokenStore store =
            RedisRefreshTokenStore.builder()
                .uri(sentinel.uri())
                .commandTimeout(Duration.ofSeconds(2))
                .durableWrites(1, Duration.ofSeconds(1))
                .build()) {
      assertThat(store.toString()).contains("master 'mymaster' via sentinels 127.0.0.1:");

      FailoverScenario.Report report =
          FailoverScenario.run(store, sentinel::killMasterAndAwaitPromotion);
      System.out.println(report.describe("sentinel failover (SIGKILL of the master)"));

      assertThat(report.unexpected())
          .as("only StoreUnavailableException, which is never a 5xx")
          .isEmpty();
      assertThat(report.revivedFamilies()).as("revoked families active again").isEmpty();
    }
  }
}
