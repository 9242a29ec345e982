package dev.jwtsession.benchmarks;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Refresh-token rotations through {@link InMemoryRefreshTokenStore}: each benchmark thread rotates
 * its own family in a chain (the presented jti is the previous successor), so every call is a
 * successful rotation on one store shared by all threads, as on one application node. {@code
 * families} other families are registered first, so the expiry order the store keeps has the depth
 * of a busy node, not of an empty one.
 *
 * <p>It is the JMH form of the in-memory case of {@code RotationThroughput} (redis module), used
 * for before/after comparisons of the store (issue 10: protocol v2 must not be more than 10 %
 * slower than v1). Run, for one and four threads:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar StoreRotationBenchmark -prof gc -t 1
 * java -jar benchmarks/target/benchmarks.jar StoreRotationBenchmark -prof gc -t 4
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreRotationBenchmark {

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration LIFETIME = Duration.ofDays(7);

  /** One store for every thread, with {@code families} idle families beside the chains. */
  @State(Scope.Benchmark)
  public static class Store {
    @Param({"0", "100000"})
    public int families;

    InMemoryRefreshTokenStore store;
    final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void fill() {
      store = InMemoryRefreshTokenStore.create();
      Instant now = Instant.now();
      for (int i = 0; i < families; i++) {
        store.register(
            new FamilyRecord(
                "idle-" + i, "subject-" + i, "jti-" + i, now.plus(LIFETIME), now.plus(LIFETIME)));
      }
    }
  }

  /** One thread's rotation chain. */
  @State(Scope.Thread)
  public static class Chain {
    String family;
    String current;
    long n;

    @Setup(Level.Trial)
    public void register(Store shared) {
      family = "chain-" + shared.threads.incrementAndGet();
      current = family + "-jti-0";
      Instant now = Instant.now();
      shared.store.register(
          new FamilyRecord(
              family, "subject-" + family, current, now.plus(LIFETIME), now.plus(LIFETIME)));
    }
  }

  /** One successful rotation: the request the engine builds, and the store's answer. */
  @Benchmark
  public RotationResult.Outcome rotate(Store shared, Chain chain) {
    String next = chain.family + "-jti-" + ++chain.n;
    Instant at = Instant.now();
    RotationResult.Outcome outcome =
        shared
            .store
            .rotate(
                new RotationRequest(
                    chain.family, chain.current, next, at, GRACE, at.plus(LIFETIME)))
            .outcome();
    if (outcome != RotationResult.Outcome.ROTATED) {
      throw new IllegalStateException("rotation " + chain.n + ": " + outcome);
    }
    chain.current = next;
    return outcome;
  }
}
