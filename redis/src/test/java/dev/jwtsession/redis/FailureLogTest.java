package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FailureLogTest {

  private final List<String> lines = new ArrayList<>();
  private long nanos = 1_000;
  private final FailureLog log =
      new FailureLog(new Capturing(), "redis:6379", Duration.ofSeconds(10), () -> nanos);

  @Test
  void logsAtMostOneLinePerIntervalAndCountsTheFailuresInBetween() {
    log.failure("rotate", new TimeoutException("no answer"));
    for (int i = 0; i < 99; i++) {
      nanos += Duration.ofMillis(50).toNanos();
      log.failure("rotate", new TimeoutException("no answer"));
    }
    assertThat(lines).hasSize(1);

    nanos += Duration.ofSeconds(10).toNanos();
    log.failure("isActive", new TimeoutException("no answer"));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("isActive").contains("99 more failures");
  }

  @Test
  void saysOnceThatTheStoreAnswersAgainAfterAnOutage() {
    log.success();
    assertThat(lines).isEmpty();

    log.failure("rotate", new TimeoutException("no answer"));
    log.success();
    log.success();

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("answers again");
  }

  /** Formats like the platform logger would, into {@link #lines}. */
  private final class Capturing implements Logger {
    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(MessageFormat.format(format, params));
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      lines.add(msgSupplier.get());
    }
  }
}
