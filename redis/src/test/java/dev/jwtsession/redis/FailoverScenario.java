package dev.jwtsession.redis;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A master failover during load, for {@link ClusterFailoverTest} and {@link SentinelFailoverTest}:
 * registers families, keeps rotating two thirds of them on a thread, revokes the other third right
 * before the kill, kills the master, lets rotations run on the promoted replica, then asks the
 * store about every family.
 */
final class FailoverScenario {

  static final int FAMILIES = 60;

  /** What the failover did. */
  record Report(
      int revoked,
      List<String> revivedFamilies,
      int loggedOut,
      int live,
      int falseAlarms,
      int refused,
      List<Throwable> unexpected) {

    String describe(String deployment) {
      return String.format(
          Locale.ROOT,
          "%s: %d families, %d revoked right before it, %d revived; %d of %d live users"
              + " logged out, %d false theft alarms, %d rotations refused",
          deployment,
          FAMILIES,
          revoked,
          revivedFamilies.size(),
          loggedOut,
          live,
          falseAlarms,
          refused);
    }
  }

  private FailoverScenario() {}

  static Report run(RedisRefreshTokenStore store, Runnable killAndAwaitPromotion)
      throws InterruptedException {
    Instant now = Instant.now();
    Map<String, String> current = new ConcurrentHashMap<>();
    List<String> revoked = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (int i = 0; i < FAMILIES; i++) {
      String id = "f" + i;
      store.register(
          new FamilyRecord(
              id, "user-" + i, id + "-0", now.plusSeconds(3600), now.plusSeconds(7200)));
      current.put(id, id + "-0");
      (i % 3 == 0 ? revoked : live).add(id);
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
                                Instant.now(),
                                Duration.ofSeconds(5),
                                now.plusSeconds(3600)));
                    switch (result.outcome()) {
                      case ROTATED -> current.put(id, next);
                      case ALREADY_ROTATED ->
                          current.put(id, result.successorIfAny().orElseThrow());
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
    try {
      for (String id : revoked) {
        revokeDurably(store, id);
      }
      killAndAwaitPromotion.run();
      RedisClusterProcess.pause(1_500); // rotations continue on the promoted replica
    } finally {
      stop.set(true);
      load.join();
    }
    List<String> revived = new ArrayList<>();
    for (String id : revoked) {
      if (activeOnceAnswered(store, id, now)) {
        revived.add(id);
      }
    }
    int loggedOut = 0;
    for (String id : live) {
      if (!activeOnceAnswered(store, id, now)) {
        loggedOut++;
      }
    }
    synchronized (unexpected) {
      return new Report(
          revoked.size(),
          revived,
          loggedOut,
          live.size(),
          falseAlarms.get(),
          refused.get(),
          List.copyOf(unexpected));
    }
  }

  /**
   * Revokes with {@code WAIT} for the replica; a revocation the replica did not acknowledge in time
   * fails closed, and the caller retries it (idempotent), as a user retries a logout.
   */
  private static void revokeDurably(RedisRefreshTokenStore store, String id) {
    StoreUnavailableException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        store.revokeFamily(id);
        return;
      } catch (StoreUnavailableException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Whether the family is active, asking again while the store is still unavailable (it finds the
   * promoted master by itself; this only waits for that, at most 30 s).
   */
  private static boolean activeOnceAnswered(RedisRefreshTokenStore store, String id, Instant now) {
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
