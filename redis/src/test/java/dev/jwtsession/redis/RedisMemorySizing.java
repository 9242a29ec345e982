package dev.jwtsession.redis;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult.Outcome;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Memory per live family and Redis CPU per rotation on a real 3-master/3-replica Redis Cluster, as
 * the store writes them under rotation protocol v2, for the sizing in {@code BENCHMARKS.md}.
 *
 * <p>Registers {@code n} families whose subjects each hold one login (the worst case: one subject
 * index per family), then {@code n} families five to a subject, and rotates every family twice (so
 * every hash holds all of its fields: {@code cur, rot, prev, prot, pprev, exp, abs}). After each
 * step it sums {@code used_memory} over the three masters (each replica holds as much again). Ids
 * are shaped as the engine makes them (16 random bytes, Base64url), subjects are UUIDs. Then it
 * reads the masters' {@code cmdstat_evalsha} over the rotations: microseconds of Redis CPU per
 * rotation script.
 *
 * <p>Not a test and not run by the build. Run it with:
 *
 * <pre>
 * mvn -q -pl redis -am verify -DskipTests -Psizing
 * mvn -q -pl redis -am verify -DskipTests -Psizing -Dsizing.families=100000
 * </pre>
 *
 * <p>Arguments when started directly: {@code [families per case, default 50000] [threads, default
 * 4]}.
 */
public final class RedisMemorySizing {

  private static final Duration LIFETIME = Duration.ofDays(7);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RedisMemorySizing() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    try (RedisClusterProcess cluster = RedisClusterProcess.start();
        RedisRefreshTokenStore store =
            RedisRefreshTokenStore.builder()
                .cluster(cluster.seeds())
                .commandTimeout(Duration.ofSeconds(5))
                .build()) {
      List<Integer> masters = masterPorts(cluster);
      String version =
          RedisClusterProcess.cli(masters.get(0), "info", "server")
              .lines()
              .filter(l -> l.startsWith("redis_version:"))
              .findFirst()
              .orElse("redis_version:?")
              .trim();
      System.out.printf(Locale.ROOT, "%s, %d families per case, %d threads%n", version, n, threads);
      Instant now = Instant.now();
      String[] families = new String[2 * n];
      String[] current = new String[2 * n];

      long empty = usedMemory(masters);
      parallel(
          threads,
          n,
          i -> {
            families[i] = newId();
            current[i] = newId();
            register(store, families[i], UUID.randomUUID().toString(), current[i], now);
          });
      long ownSubjects = usedMemory(masters);
      String[] subjects = new String[n / 5 + 1];
      for (int s = 0; s < subjects.length; s++) {
        subjects[s] = UUID.randomUUID().toString();
      }
      parallel(
          threads,
          n,
          i -> {
            families[n + i] = newId();
            current[n + i] = newId();
            register(store, families[n + i], subjects[i / 5], current[n + i], now);
          });
      long sharedSubjects = usedMemory(masters);
      for (int master : masters) {
        RedisClusterProcess.cli(master, "config", "resetstat");
      }
      for (int round = 0; round < 2; round++) {
        parallel(
            threads,
            2 * n,
            i -> {
              String next = newId();
              Instant at = Instant.now();
              Outcome outcome =
                  store
                      .rotate(
                          new RotationRequest(
                              families[i], current[i], next, at, GRACE, at.plus(LIFETIME)))
                      .outcome();
              if (outcome != Outcome.ROTATED) {
                throw new IllegalStateException("rotation of family " + i + ": " + outcome);
              }
              current[i] = next;
            });
      }
      long rotated = usedMemory(masters);
      long calls = 0;
      double usec = 0;
      for (int master : masters) {
        for (String line : RedisClusterProcess.cli(master, "info", "commandstats").split("\n")) {
          if (line.startsWith("cmdstat_evalsha:")) {
            calls += Long.parseLong(field(line, "calls"));
            usec += Double.parseDouble(field(line, "usec"));
          }
        }
      }

      double first = (ownSubjects - empty) / (double) n;
      double shared = (sharedSubjects - ownSubjects) / (double) n;
      double growth = (rotated - sharedSubjects) / (2.0 * n);
      System.out.printf(
          Locale.ROOT,
          "used_memory, sum of the 3 masters: empty %,d B; +%,d families with own subjects %,d B;"
              + " +%,d families 5 per subject %,d B; after 2 rotations each %,d B%n",
          empty,
          n,
          ownSubjects,
          n,
          sharedSubjects,
          rotated);
      System.out.printf(
          Locale.ROOT,
          "per family: %.0f B with its own subject index, %.0f B five to a subject (as"
              + " registered); rotations add %.0f B each: %.0f B and %.0f B at steady state%n",
          first,
          shared,
          growth,
          first + growth,
          shared + growth);
      System.out.printf(
          Locale.ROOT,
          "Redis CPU per rotation script (cmdstat_evalsha over %,d rotations): %.1f us%n",
          calls,
          usec / calls);
    }
  }

  private static void register(
      RedisRefreshTokenStore store, String family, String subject, String jti, Instant now) {
    store.register(new FamilyRecord(family, subject, jti, now.plus(LIFETIME), now.plus(LIFETIME)));
  }

  /** Runs {@code step} for 0..count-1 on {@code threads} threads, each taking the next index. */
  private static void parallel(int threads, int count, IntConsumer step)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    step.accept(i);
                  }
                } catch (RuntimeException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a step failed", failures.get(0));
    }
  }

  private static List<Integer> masterPorts(RedisClusterProcess cluster) {
    StatefulRedisClusterConnection<String, String> admin = cluster.admin();
    List<Integer> ports = new ArrayList<>();
    for (RedisClusterNode node : admin.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        ports.add(node.getUri().getPort());
      }
    }
    return ports;
  }

  private static long usedMemory(List<Integer> masters) {
    long sum = 0;
    for (int master : masters) {
      for (String line : RedisClusterProcess.cli(master, "info", "memory").split("\n")) {
        if (line.startsWith("used_memory:")) {
          sum += Long.parseLong(line.substring("used_memory:".length()).trim());
        }
      }
    }
    return sum;
  }

  /** The value of {@code name} in a line like {@code cmdstat_x:calls=3,usec=9,...}. */
  private static String field(String line, String name) {
    for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalStateException("no " + name + " in " + line);
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
