package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jwtsession.fixtures.LogCapture;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult.Outcome;
import dev.jwtsession.spi.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The store against a {@code redis-server} that dies, comes back, or stops answering: every call
 * fails with {@link StoreUnavailableException} without hanging, and the same store instance works
 * again once Redis answers.
 */
class RedisRefreshTokenStoreFaultTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** A guard against hangs, far above the timeout; not a performance assertion. */
  private static final Duration NO_HANG = Duration.ofSeconds(5);

  /** How long Redis may take to be reachable again after a restart. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private LogCapture log;

  private RedisServerProcess server;

  @BeforeEach
  void startRedisAndCaptureLogs() {
    server = RedisServerProcess.start();
    log = LogCapture.of(RedisRefreshTokenStore.class.getName());
  }

  @AfterEach
  void stopRedis() {
    log.close();
    server.close();
  }

  @Test
  void whileRedisIsDownEveryCallFailsWithStoreUnavailableAndAfterARestartTheSameStoreWorks() {
    try (RedisRefreshTokenStore store = storeAt(server.uri())) {
      store.register(family("f1", "jti-secret-1"));
      assertThat(store.isActive("f1", now)).isTrue();

      server.kill();

      assertUnavailable(() -> store.rotate(rotation("f1", "jti-secret-1", "jti-secret-2")));
      assertUnavailable(() -> store.isActive("f1", now));
      assertUnavailable(() -> store.register(family("f2", "jti-secret-3")));
      assertUnavailable(() -> store.revokeFamily("f1"));
      assertUnavailable(() -> store.revokeSubject("alice", now));

      server.restart();
      awaitRecovery(() -> store.isActive("f1", now));

      // The restarted Redis is empty: the old family is gone, which fails closed.
      assertThat(store.rotate(rotation("f1", "jti-secret-1", "jti-secret-2")).outcome())
          .isEqualTo(Outcome.REVOKED);
      store.register(family("f3", "jti-secret-4"));
      assertThat(store.rotate(rotation("f3", "jti-secret-4", "jti-secret-5")).outcome())
          .isEqualTo(Outcome.ROTATED);
    }
  }

  @Test
  void aStoreBuiltWhileRedisIsDownWorksOnceRedisStarts() {
    server.kill();
    try (RedisRefreshTokenStore store = storeAt(server.uri())) {
      assertUnavailable(() -> store.isActive("f1", now));

      server.restart();
      awaitRecovery(() -> store.isActive("f1", now));

      store.register(family("f1", "jti-secret-1"));
      assertThat(store.isActive("f1", now)).isTrue();
    }
  }

  @Test
  void aRedisThatStopsAnsweringFailsCallsWithStoreUnavailableAfterTheTimeout() {
    RedisClient admin = RedisClient.create(server.uri());
    try (RedisRefreshTokenStore store = storeAt(server.uri());
        StatefulRedisConnection<String, String> pauser = admin.connect()) {
      store.register(family("f1", "jti-secret-1"));

      pauser.sync().clientPause(2_000);

      assertUnavailable(() -> store.isActive("f1", now));
      assertUnavailable(() -> store.rotate(rotation("f1", "jti-secret-1", "jti-secret-2")));
      awaitRecovery(() -> store.isActive("f1", now));
      assertThat(store.rotate(rotation("f1", "jti-secret-1", "jti-secret-2")).outcome())
          .isEqualTo(Outcome.ROTATED);
    } finally {
      admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void anOutageIsLoggedOnceNotPerCallAndNeverWithATokenOrJti() {
    try (RedisRefreshTokenStore store = storeAt(server.uri())) {
      store.register(family("f1", "jti-secret-1"));
      server.kill();

      for (int i = 0; i < 20; i++) {
        assertUnavailable(() -> store.rotate(rotation("f1", "jti-secret-1", "jti-secret-2")));
      }

      List<LogRecord> warnings = new ArrayList<>();
      for (LogRecord record : log.records()) {
        if (record.getLevel() == java.util.logging.Level.WARNING) {
          warnings.add(record);
        }
      }
      assertThat(warnings).hasSize(1);
      for (LogRecord record : log.records()) {
        String line = new java.util.logging.SimpleFormatter().formatMessage(record);
        assertThat(line).doesNotContain("jti-secret");
      }
    }
  }

  private static void assertUnavailable(Executable call) {
    assertTimeoutPreemptively(
        NO_HANG,
        () -> assertThatThrownBy(call::execute).isInstanceOf(StoreUnavailableException.class));
  }

  /** Retries a call until it succeeds; Lettuce reconnects in the background. */
  private static void awaitRecovery(Supplier<?> call) {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        call.get();
        return;
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the store did not recover within " + RECOVERY, e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new AssertionError(interrupted);
        }
      }
    }
  }

  private static RedisRefreshTokenStore storeAt(String uri) {
    return RedisRefreshTokenStore.builder().uri(uri).commandTimeout(TIMEOUT).build();
  }

  private FamilyRecord family(String id, String jti) {
    return new FamilyRecord(id, "alice", jti, now.plusSeconds(1800), now.plusSeconds(28_800));
  }

  private RotationRequest rotation(String id, String presented, String successorJti) {
    return new RotationRequest(
        id,
        presented,
        successorJti,
        now.plusSeconds(1),
        Duration.ofSeconds(10),
        now.plusSeconds(1801));
  }
}
