package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A master of a real 3+3 Redis Cluster is killed with SIGKILL while rotations run, and its replica
 * is promoted. With durable revocations no family revoked before the kill is ever active again;
 * rotations only ever fail with {@code StoreUnavailableException} (which the engine answers without
 * a 5xx); the logged-out users and false theft alarms the failover caused are printed.
 */
class ClusterFailoverTest {

  @Test
  void afterAMasterIsKilledAndItsReplicaPromotedNoRevokedFamilyIsActiveAgain() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        RedisRefreshTokenStore store =
            RedisRefreshTokenStore.builder()
                .cluster(cluster.seeds())
                .commandTimeout(Duration.ofSeconds(2))
                .durableWrites(1, Duration.ofSeconds(1))
                .build()) {
      int victimPort;
      RedisClusterClient client = cluster.newClient();
      try (StatefulRedisClusterConnection<String, String> admin = client.connect()) {
        victimPort =
            RedisClusterProcess.masterOf(admin, SlotHash.getSlot(store.familyKey("f0")))
                .getUri()
                .getPort();
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }

      FailoverScenario.Report report =
          FailoverScenario.run(store, () -> cluster.killMasterAndAwaitPromotion(victimPort));
      System.out.println(report.describe("cluster failover (SIGKILL of a master)"));

      assertThat(report.unexpected())
          .as("only StoreUnavailableException, which is never a 5xx")
          .isEmpty();
      assertThat(report.revivedFamilies()).as("revoked families active again").isEmpty();
    }
  }
}
