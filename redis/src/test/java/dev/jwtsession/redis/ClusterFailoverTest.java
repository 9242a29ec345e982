package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A master of a real 3+3 Redis Cluster is killed with SIGKILL while two application nodes serve
 * users over HTTP ({@link FailoverScenario}), and its replica is promoted. Access cookies are
 * served throughout, renewals are refused at worst (never a 5xx), no user who logged out (a durable
 * revocation) right before the kill can renew afterwards on either node, and the logged-out users
 * and false theft alarms the failover caused are printed.
 */
class ClusterFailoverTest {

  @Test
  void afterAMasterIsKilledAndItsReplicaPromotedRequestsAreAnsweredAndNoLoggedOutSessionRevives()
      throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        FailoverScenario scenario =
            FailoverScenario.start(
                store -> store.cluster(cluster.seeds()).durableWrites(1, Duration.ofSeconds(1)))) {
      int victimPort;
      long revokedOnVictim;
      long liveOnVictim;
      StatefulRedisClusterConnection<String, String> admin = cluster.admin();
      RedisClusterNode victim =
          RedisClusterProcess.masterOf(admin, slotOf(scenario, scenario.revokedFamilies().get(0)));
      victimPort = victim.getUri().getPort();
      revokedOnVictim =
          scenario.revokedFamilies().stream()
              .filter(f -> victim.hasSlot(slotOf(scenario, f)))
              .count();
      liveOnVictim =
          scenario.liveFamilies().stream().filter(f -> victim.hasSlot(slotOf(scenario, f))).count();
      assertThat(revokedOnVictim).as("logged-out families on the killed master").isPositive();
      assertThat(liveOnVictim).as("live families on the killed master").isPositive();

      FailoverScenario.Report report =
          scenario.run(() -> cluster.killMasterAndAwaitPromotion(victimPort));
      System.out.println(
          report.describe(
              "cluster failover (SIGKILL of a master holding "
                  + revokedOnVictim
                  + " logged-out and "
                  + liveOnVictim
                  + " live families)"));

      report.assertAnsweredWithoutRevival();
    }
  }

  private static int slotOf(FailoverScenario scenario, String family) {
    return SlotHash.getSlot(scenario.familyKey(family));
  }
}
