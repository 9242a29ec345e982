package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStoreContract;
import dev.jwtsession.spi.RotationResult;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole store contract on a real Redis Cluster of three masters and three replicas, started
 * once for the class, plus what only a cluster shows: families spread over every master, log out
 * everywhere across slots, durable revocations acknowledged by the replica.
 */
class RedisClusterStoreContractTest extends RefreshTokenStoreContract {

  private static RedisClusterProcess cluster;
  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> admin;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
    client = cluster.client();
    admin = cluster.admin();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close(); // with its client and connection
    }
  }

  @Override
  protected RefreshTokenStore newStore() {
    cluster.flushAll();
    return RedisRefreshTokenStore.builder().client(client).build();
  }

  @Override
  protected void closeStore(RefreshTokenStore store) {
    ((RedisRefreshTokenStore) store).close();
  }

  @Test
  void aStoreBuiltFromSeedNodesSpreadsFamiliesOverEveryMasterAndRevokesThemAllBySubject() {
    try (RedisRefreshTokenStore seeded =
        RedisRefreshTokenStore.builder()
            .cluster(cluster.seeds().subList(0, 1))
            .maxFamiliesPerSubject(1_000)
            .build()) {
      Set<String> masters = new HashSet<>();
      int families = 250; // more than two pages of log out everywhere
      for (int i = 0; i < families; i++) {
        String id = "family-" + i;
        seeded.register(
            new FamilyRecord(id, "dora", "j" + i, t0.plus(LIFETIME), t0.plus(ABSOLUTE)));
        RedisClusterNode master =
            admin.getPartitions().getPartitionBySlot(SlotHash.getSlot(seeded.familyKey(id)));
        masters.add(master.getNodeId());
      }

      assertThat(masters).hasSize(3);
      assertThat(seeded.isActive("family-0", t0)).isTrue();
      assertThat(seeded.revokeSubject("dora", t0)).isEqualTo(families);
      assertThat(seeded.revokeSubject("dora", t0)).isZero();
      for (int i = 0; i < families; i++) {
        assertThat(seeded.isActive("family-" + i, t0)).isFalse();
      }
      assertThat(seeded.toString()).contains("cluster 127.0.0.1:");
    }
  }

  @Test
  void aDurableRevocationIsOnTheMastersReplicaWhenTheCallReturns() {
    try (RedisRefreshTokenStore durable =
        RedisRefreshTokenStore.builder()
            .client(client)
            .durableWrites(1, Duration.ofMillis(400))
            .commandTimeout(Duration.ofSeconds(2))
            .build()) {
      String family = registerFamily("erin", "jti-1");
      String key = durable.familyKey(family);
      RedisClusterNode master = RedisClusterProcess.masterOf(admin, SlotHash.getSlot(key));
      RedisClusterNode replica =
          admin.getPartitions().stream()
              .filter(n -> master.getNodeId().equals(n.getSlaveOf()))
              .findFirst()
              .orElseThrow();
      awaitReplicated(replica, key);

      durable.revokeFamily(family);

      // Read on the replica itself, right after the call: WAIT made the delete reach it.
      assertThat(keysOn(replica)).doesNotContain(key);
      assertThat(durable.isActive(family, t0)).isFalse();
    }
  }

  /**
   * While a family's slot migrates, its commands are served at once: on the old master while the
   * family is still there, through {@code ASK} on the new one after its key moved. Every script
   * names one key, so Redis never answers {@code TRYAGAIN} (which it answers to commands on several
   * keys of a migrating slot when only some of them have moved).
   */
  @Test
  void aFamilyWhoseSlotIsMigratingRotatesAndIsRevokedAtOnceOnEitherSideOfTheMove() {
    try (RedisRefreshTokenStore store = RedisRefreshTokenStore.builder().client(client).build()) {
      String family = registerFamily("fay", "jti-1");
      int slot = SlotHash.getSlot(store.familyKey(family));
      RedisClusterNode source = RedisClusterProcess.masterOf(admin, slot);
      int from = source.getUri().getPort();
      int to = otherMaster(source).getUri().getPort();
      long tryAgainBefore = tryAgainAnswers(from) + tryAgainAnswers(to);

      cluster.beginSlotMove(from, to, slot);
      try {
        assertThat(store.rotate(rotation(family, "jti-1", "jti-2", t0)).outcome())
            .as("served by the old master, which still holds the family")
            .isEqualTo(RotationResult.Outcome.ROTATED);
        cluster.migrateKeys(from, to, slot);
        assertThat(RedisClusterProcess.cli(from, "cluster", "countkeysinslot", "" + slot).trim())
            .isEqualTo("0");
        assertThat(store.rotate(rotation(family, "jti-2", "jti-3", t0)).outcome())
            .as("served by the new master through ASK")
            .isEqualTo(RotationResult.Outcome.ROTATED);
        store.revokeFamily(family);
        assertThat(store.isActive(family, t0)).isFalse();
      } finally {
        cluster.finishSlotMove(from, to, slot);
      }

      assertThat(tryAgainAnswers(from) + tryAgainAnswers(to)).isEqualTo(tryAgainBefore);
      assertThat(store.rotate(rotation(family, "jti-3", "jti-4", t0)).outcome())
          .isEqualTo(RotationResult.Outcome.REVOKED);
      client.refreshPartitions();
      assertThat(client.getPartitions().getPartitionBySlot(slot).getUri().getPort()).isEqualTo(to);
    }
  }

  private static RedisClusterNode otherMaster(RedisClusterNode master) {
    return admin.getPartitions().stream()
        .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM))
        .filter(n -> !n.getNodeId().equals(master.getNodeId()))
        .findFirst()
        .orElseThrow();
  }

  /** How often the node on {@code port} answered TRYAGAIN ({@code INFO errorstats}). */
  private static long tryAgainAnswers(int port) {
    for (String line : RedisClusterProcess.cli(port, "info", "errorstats").split("\n")) {
      if (line.startsWith("errorstat_TRYAGAIN:count=")) {
        return Long.parseLong(line.substring("errorstat_TRYAGAIN:count=".length()).trim());
      }
    }
    return 0;
  }

  /** The keys a replica holds (KEYS is served by a cluster replica without READONLY). */
  private static String keysOn(RedisClusterNode node) {
    return RedisClusterProcess.cli(node.getUri().getPort(), "keys", "*");
  }

  private static void awaitReplicated(RedisClusterNode replica, String key) {
    for (int i = 0; i < 250; i++) {
      if (keysOn(replica).contains(key)) {
        return;
      }
      RedisClusterProcess.pause(20);
    }
    throw new IllegalStateException("the replica never got the family");
  }
}
