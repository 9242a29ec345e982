package dev.jwtsession.redis;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refresh-token rotations per second through {@link RedisRefreshTokenStore} (a real {@code
 * redis-server} on loopback, one store instance shared by every thread, as one application node
 * has) next to {@link InMemoryRefreshTokenStore}, at 1 and 4 threads. Each thread rotates its own
 * family in a chain (presented jti = the previous successor), so every call is a successful
 * rotation; a result other than {@code ROTATED} aborts the run. Since protocol v2 one rotation is
 * still one store call (one {@code EVALSHA} on Redis), but it carries jtis and instants only: the
 * engine no longer stores the successor pair (about 700 characters) beside it.
 *
 * <p>Not a test and not run by the build. Run it, after a warm-up of two seconds per case, with:
 *
 * <pre>
 * mvn -q -pl redis -am verify -DskipTests -Pthroughput
 * mvn -q -pl redis -am verify -DskipTests -Pthroughput -Dthroughput.seconds=5 -Dthroughput.threads=1,2,4,8
 * mvn -q -pl redis -am verify -DskipTests -Pthroughput -Dthroughput.deployments=standalone
 * </pre>
 *
 * <p>Arguments when started directly: {@code [seconds per case, default 3] [thread counts, default
 * 1,4] [deployments: all (default) or standalone]}. {@code standalone} measures the in-memory store
 * and one {@code redis-server} only, without starting the cluster, for before/after comparisons
 * with commits that had no cluster case. Figures depend on the machine; record them with its core
 * count in the issue or {@code BENCHMARKS.md}, never assert them in a test.
 */
public final class RotationThroughput {

  private static final Duration WARMUP = Duration.ofSeconds(2);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration LIFETIME = Duration.ofDays(7);

  /** When set, each step registers a fresh family and revokes it instead of rotating. */
  private static volatile boolean revocations;

  private RotationThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] threadCounts =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 4};
    boolean withCluster = args.length <= 2 || !"standalone".equals(args[2]);
    System.out.printf(
        Locale.ROOT,
        "rotations/s, %d s per case, %d available processors%n",
        seconds,
        Runtime.getRuntime().availableProcessors());
    if (!withCluster) {
      try (RedisServerProcess redis = RedisServerProcess.start();
          RedisRefreshTokenStore redisStore =
              RedisRefreshTokenStore.builder().uri(redis.uri()).build()) {
        for (int threads : threadCounts) {
          double memory = measure(InMemoryRefreshTokenStore.create(), "memory", threads, seconds);
          double remote = measure(redisStore, "redis", threads, seconds);
          System.out.printf(
              Locale.ROOT,
              "%d thread(s): in-memory %,12.0f/s   redis %,10.0f/s   in-memory/redis %.0fx%n",
              threads,
              memory,
              remote,
              memory / remote);
        }
      }
      return;
    }
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisClusterProcess cluster = RedisClusterProcess.start();
        RedisRefreshTokenStore redisStore =
            RedisRefreshTokenStore.builder().uri(redis.uri()).build();
        RedisRefreshTokenStore clusterStore =
            RedisRefreshTokenStore.builder().cluster(cluster.seeds()).build();
        RedisRefreshTokenStore durableStore =
            RedisRefreshTokenStore.builder()
                .cluster(cluster.seeds())
                .durableWrites(1, Duration.ofMillis(200))
                .build()) {
      for (int threads : threadCounts) {
        double memory = measure(InMemoryRefreshTokenStore.create(), "memory", threads, seconds);
        double remote = measure(redisStore, "redis", threads, seconds);
        double spread = measure(clusterStore, "cluster", threads, seconds);
        System.out.printf(
            Locale.ROOT,
            "%d thread(s): in-memory %,12.0f/s   redis %,10.0f/s   cluster %,10.0f/s   "
                + "in-memory/redis %.0fx   cluster/redis %.2f%n",
            threads,
            memory,
            remote,
            spread,
            memory / remote,
            spread / remote);
      }
      for (int threads : threadCounts) {
        revocations = true;
        double plain = measure(clusterStore, "revoke", threads, seconds);
        double durable = measure(durableStore, "revoke-durable", threads, seconds);
        revocations = false;
        System.out.printf(
            Locale.ROOT,
            "%d thread(s): cluster register+revoke %,10.0f/s   with WAIT 1 replica %,10.0f/s   "
                + "durable/plain %.2f%n",
            threads,
            plain,
            durable,
            durable / plain);
      }
    }
  }

  /** Warms up (the JIT, the connection) for WARMUP, then counts rotations; returns rotations/s. */
  private static double measure(RefreshTokenStore store, String name, int threads, int seconds)
      throws InterruptedException {
    run(store, name + "-warmup", threads, WARMUP);
    return run(store, name, threads, Duration.ofSeconds(seconds));
  }

  private static double run(RefreshTokenStore store, String name, int threads, Duration duration)
      throws InterruptedException {
    LongAdder rotations = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String family = name + "-family-" + t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  Instant now = Instant.now();
                  String current = family + "-jti-0";
                  store.register(
                      new FamilyRecord(
                          family,
                          "subject-" + family,
                          current,
                          now.plus(LIFETIME),
                          now.plus(LIFETIME)));
                  ready.countDown();
                  go.await();
                  long n = 0;
                  while (!stop.get() && revocations) {
                    String revoked = family + "-revoked-" + ++n;
                    Instant at = Instant.now();
                    store.register(
                        new FamilyRecord(
                            revoked,
                            "subject-" + revoked,
                            "j",
                            at.plus(LIFETIME),
                            at.plus(LIFETIME)));
                    store.revokeFamily(revoked);
                    rotations.increment();
                  }
                  while (!stop.get()) {
                    String next = family + "-jti-" + ++n;
                    Instant at = Instant.now();
                    Outcome outcome =
                        store
                            .rotate(
                                new RotationRequest(
                                    family, current, next, at, GRACE, at.plus(LIFETIME)))
                            .outcome();
                    if (outcome != Outcome.ROTATED) {
                      throw new IllegalStateException(
                          "rotation " + n + " of " + family + ": " + outcome);
                    }
                    current = next;
                    rotations.increment();
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                  ready.countDown();
                }
              },
              name + "-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - start; // every counted rotation finished within it
    long count = rotations.sum();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    return count * 1e9 / elapsed;
  }
}
