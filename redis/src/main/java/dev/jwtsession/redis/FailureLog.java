package dev.jwtsession.redis;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs store failures at most once per interval, so an outage costs one line every few seconds
 * instead of one per request, and logs once when the store answers again.
 *
 * <p>Lines name the operation and the exception type and message only: never a key, a jti or a
 * token.
 */
final class FailureLog {

  private final Logger logger;
  private final String target;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong lastLogged = new AtomicLong();
  private final AtomicInteger suppressed = new AtomicInteger();
  private volatile boolean failing;
  private volatile boolean loggedOnce;

  FailureLog(Logger logger, String target, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.target = target;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Records one failure; writes a line unless one was written less than the interval ago. */
  void failure(String operation, Throwable cause) {
    failing = true;
    long now = nanoTime.getAsLong();
    long last = lastLogged.get();
    if (loggedOnce && now - last < intervalNanos) {
      suppressed.incrementAndGet();
      return;
    }
    if (!lastLogged.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    loggedOnce = true;
    int skipped = suppressed.getAndSet(0);
    logger.log(
        Level.WARNING,
        "Redis refresh-token store at {0} unavailable during {1}: {2}: {3}; refreshes are refused"
            + " (fail closed) until it answers again.{4}",
        target,
        operation,
        cause.getClass().getSimpleName(),
        cause.getMessage(),
        skipped == 0 ? "" : " " + skipped + " more failures since the last line.");
  }

  /** Records a successful call; after failures, writes one line saying the store is back. */
  void success() {
    if (failing) {
      failing = false;
      logger.log(Level.INFO, "Redis refresh-token store at {0} answers again.", target);
    }
  }
}
