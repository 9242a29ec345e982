package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every slot of one master that holds a family of {@link FailoverScenario}'s users moves to another
 * master ({@code CLUSTER SETSLOT} migration with {@code MIGRATE}, as {@code redis-cli --cluster
 * reshard} does it) while two application nodes serve those users over HTTP: no 5xx, every request
 * answered and no renewal refused, no false theft alarm, no user logged out, no family lost, and no
 * family logged out right before it active again.
 */
class ClusterReshardTest {

  @Test
  void movingSlotsOfLiveFamiliesDuringRequestsLosesNoFamilyAndRaisesNoAlarm() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        FailoverScenario scenario =
            FailoverScenario.start(store -> store.cluster(cluster.seeds()))) {
      StatefulRedisClusterConnection<String, String> admin = cluster.admin();
      List<String> live = scenario.liveFamilies();
      RedisClusterNode source = RedisClusterProcess.masterOf(admin, slotOf(scenario, live.get(0)));
      RedisClusterNode target =
          admin.getPartitions().stream()
              .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM))
              .filter(n -> !n.getNodeId().equals(source.getNodeId()))
              .findFirst()
              .orElseThrow();
      List<String> liveOnSource =
          live.stream().filter(f -> source.hasSlot(slotOf(scenario, f))).toList();
      SortedSet<Integer> slots = new TreeSet<>();
      Stream.concat(live.stream(), scenario.revokedFamilies().stream())
          .map(f -> slotOf(scenario, f))
          .filter(source::hasSlot)
          .forEach(slots::add);

      FailoverScenario.Report report =
          scenario.run(
              () -> {
                for (int slot : slots) {
                  cluster.moveSlot(source.getUri().getPort(), target.getUri().getPort(), slot);
                }
              });

      cluster.client().refreshPartitions(); // the slot map after the move
      List<String> moved = new ArrayList<>();
      for (String family : liveOnSource) {
        if (admin
            .getPartitions()
            .getPartitionBySlot(slotOf(scenario, family))
            .getNodeId()
            .equals(target.getNodeId())) {
          moved.add(family);
        }
      }
      System.out.println(
          report.describe(
              "cluster resharding ("
                  + slots.size()
                  + " slots moved to another master, holding "
                  + moved.size()
                  + " live families)"));
      assertThat(moved).as("live families whose slot moved").isNotEmpty().isEqualTo(liveOnSource);
      report.assertAnsweredWithoutRevival();
      assertThat(report.renewalsRefused())
          .as(
              "renewals refused: every command names one key, so a migrating slot serves it at once")
          .isZero();
      assertThat(report.falseAlarms()).as("false theft alarms").isZero();
      assertThat(report.loggedOut()).as("live users logged out").isZero();
      assertThat(report.lost()).as("live families lost in the store").isEmpty();
    }
  }

  private static int slotOf(FailoverScenario scenario, String family) {
    return SlotHash.getSlot(scenario.familyKey(family));
  }
}
