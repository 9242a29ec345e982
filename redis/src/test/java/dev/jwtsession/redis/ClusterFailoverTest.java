package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A master of a real 3+3 Redis Cluster is killed with SIGKILL while rotations run, and its replica
 * is promoted. With durable revocations, no family revoked before the kill is ever active again;
 * rotations only ever fail with {@link StoreUnavailableException} (which the engine answers without
 * a 5xx); the logged-out users and false theft alarms the failover caused are counted and printed.
 */
class ClusterFailoverTest {

  private static final int FAMILIES = 60;
  private final Instant now = Instant.now();

  @Test
  void afterAMasterIsKilledAndItsReplicaPromotedNoRevokedFamilyIsActiveAgain() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        RedisRefreshTokenStore store =
            RedisRefreshTokenStore.builder()
                .cluster(cluster.seeds())
                .commandTimeout(Duration.ofSeconds(1))
                .durableWrites(1, Duration.ofMillis(500))
                .build()) {
      RedisClusterClient client = cluster.newClient();
      int victimPort;
      try (StatefulRedisClusterConnection<String, String> admin = client.connect()) {
        victimPort =
            RedisClusterProcess.masterOf(admin, SlotHash.getSlot(store.familyKey("f0")))
                .getUri()
                .getPort();
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      Map<String, String> current = new ConcurrentHashMap<>();
      for (int i = 0; i < FAMILIES; i++) {
        String id = "f" + i;
        store.register(
            new FamilyRecord(
                id, "user-" + i, id + "-0", now.plusSeconds(3600), now.plusSeconds(7200)));
        current.put(id, id + "-0");
      }
      List<String> revoked = new ArrayList<>();
      List<String> live = new ArrayList<>();
      for (int i = 0; i < FAMILIES; i++) {
        (i % 3 == 0 ? revoked : live).add("f" + i);
      }

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger falseAlarms = new AtomicInteger();
      List<Throwable> unexpected = new ArrayList<>();
      Thread load =
          new Thread(
              () -> {
                long n = 0;
                while (!stop.get()) {
                  for (String id : live) {
                    String next = id + "-" + ++n;
                    try {
                      RotationResult result =
                          store.rotate(
                              new RotationRequest(
                                  id,
                                  current.get(id),
                                  next,
                                  next,
                                  Instant.now(),
                                  Duration.ofSeconds(5),
                                  now.plusSeconds(3600)));
                      switch (result.outcome()) {
                        case ROTATED -> current.put(id, next);
                        case REUSED_WITHIN_GRACE -> current.put(id, result.successor());
                        case REUSE_DETECTED -> falseAlarms.incrementAndGet();
                        default -> {}
                      }
                    } catch (StoreUnavailableException e) {
                      refused.incrementAndGet();
                    } catch (RuntimeException e) {
                      synchronized (unexpected) {
                        unexpected.add(e);
                      }
                    }
                  }
                }
              },
              "rotations");
      load.start();
      for (String id : revoked) {
        store.revokeFamily(id); // durable: WAITs for the replica
      }

      cluster.killMasterAndAwaitPromotion(victimPort);
      RedisClusterProcess.pause(1_500); // rotations continue on the promoted replica
      stop.set(true);
      load.join();

      List<String> revivedFamilies = new ArrayList<>();
      for (String id : revoked) {
        if (activeOnceAnswered(store, id)) {
          revivedFamilies.add(id);
        }
      }
      int loggedOut = 0;
      for (String id : live) {
        if (!activeOnceAnswered(store, id)) {
          loggedOut++;
        }
      }
      System.out.printf(
          "cluster failover: %d families, %d revoked before the kill, %d revived; "
              + "%d of %d live users logged out, %d false theft alarms, %d rotations refused%n",
          FAMILIES,
          revoked.size(),
          revivedFamilies.size(),
          loggedOut,
          live.size(),
          falseAlarms.get(),
          refused.get());

      assertThat(unexpected).as("only StoreUnavailableException, which is never a 5xx").isEmpty();
      assertThat(revivedFamilies).as("revoked families active again").isEmpty();
    }
  }

  /**
   * Whether the family is active, asking again while the store is still unavailable (it learns the
   * new topology by itself; this only waits for that, at most 30 s).
   */
  private boolean activeOnceAnswered(RedisRefreshTokenStore store, String id) {
    StoreUnavailableException last = null;
    for (int attempt = 0; attempt < 60; attempt++) {
      try {
        return store.isActive(id, now);
      } catch (StoreUnavailableException e) {
        last = e;
        RedisClusterProcess.pause(500);
      }
    }
    throw last;
  }
}
