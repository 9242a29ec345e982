package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slots holding live families move to another master ({@code redis-cli --cluster reshard}) while
 * rotations run: no false theft alarm, no lost family, no revoked family active again, and no
 * failure other than {@code StoreUnavailableException} (never a 5xx).
 */
class ClusterReshardTest {

  @Test
  void movingSlotsOfLiveFamiliesDuringRotationsLosesNoFamilyAndRaisesNoAlarm() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        RedisRefreshTokenStore store =
            RedisRefreshTokenStore.builder()
                .cluster(cluster.seeds())
                .commandTimeout(Duration.ofSeconds(2))
                .build()) {
      RedisClusterClient client = cluster.newClient();
      try (StatefulRedisClusterConnection<String, String> admin = client.connect()) {
        RedisClusterNode source =
            RedisClusterProcess.masterOf(admin, SlotHash.getSlot(store.familyKey("f0")));
        RedisClusterNode target =
            admin.getPartitions().stream()
                .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM))
                .filter(n -> !n.getNodeId().equals(source.getNodeId()))
                .findFirst()
                .orElseThrow();
        List<String> onSource = new ArrayList<>();
        for (int i = 0; i < FailoverScenario.FAMILIES; i++) {
          int slot = SlotHash.getSlot(store.familyKey("f" + i));
          if (source.hasSlot(slot)) {
            onSource.add("f" + i);
          }
        }

        FailoverScenario.Report report =
            FailoverScenario.run(
                store,
                () ->
                    cluster.reshard(
                        source.getUri().getPort(), target.getUri().getPort(), 16384 / 3 / 2));
        System.out.println(
            report.describe("cluster resharding (half the slots of one master moved)"));

        client.refreshPartitions(); // the slot map after the move
        int moved = 0;
        for (String id : onSource) {
          RedisClusterNode now =
              admin.getPartitions().getPartitionBySlot(SlotHash.getSlot(store.familyKey(id)));
          if (now.getNodeId().equals(target.getNodeId())) {
            moved++;
          }
        }
        assertThat(moved).as("families whose slot moved").isPositive();
        assertThat(report.unexpected()).isEmpty();
        assertThat(report.falseAlarms()).as("false theft alarms").isZero();
        assertThat(report.loggedOut()).as("live families lost").isZero();
        assertThat(report.revivedFamilies()).isEmpty();
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
