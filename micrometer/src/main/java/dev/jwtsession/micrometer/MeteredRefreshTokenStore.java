package dev.jwtsession.micrometer;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Times every call of a {@link RefreshTokenStore}: one sample of the timer {@code
 * jwt.session.store} per call, tagged {@code operation} ({@code register}, {@code rotate}, {@code
 * is.active}, {@code revoke.family}, {@code revoke.subject}) and {@code outcome} ({@code success};
 * {@code unavailable} when the store threw {@link StoreUnavailableException}; {@code error} for any
 * other exception). What the delegate answers or throws passes through unchanged.
 *
 * <pre>{@code
 * RefreshTokenStore store = new MeteredRefreshTokenStore(RedisRefreshTokenStore.create(...), registry);
 * JwtSession.builder()...rotation(r -> r.store(store))
 * }</pre>
 *
 * <p>The 15 timers are registered up front, so an outage shows as a rising {@code unavailable}
 * series next to a flat {@code success} one. Closing it closes the delegate when that is {@link
 * AutoCloseable}.
 */
public final class MeteredRefreshTokenStore implements RefreshTokenStore, AutoCloseable {

  /** Operation x outcome. */
  public static final int METERS = 5 * 3;

  private enum Operation {
    REGISTER("register"),
    ROTATE("rotate"),
    IS_ACTIVE("is.active"),
    REVOKE_FAMILY("revoke.family"),
    REVOKE_SUBJECT("revoke.subject");

    final String tag;

    Operation(String tag) {
      this.tag = tag;
    }
  }

  private static final String[] OUTCOMES = {"success", "unavailable", "error"};

  private final RefreshTokenStore delegate;
  private final MeterRegistry registry;
  private final Timer[][] timers = new Timer[Operation.values().length][OUTCOMES.length];

  /** Times {@code delegate}'s calls in {@code registry}. */
  public MeteredRefreshTokenStore(RefreshTokenStore delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.registry = Objects.requireNonNull(registry, "registry");
    for (Operation operation : Operation.values()) {
      for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
        timers[operation.ordinal()][outcome] =
            Timer.builder("jwt.session.store")
                .description("Refresh-token store calls, by operation and outcome")
                .tag("operation", operation.tag)
                .tag("outcome", OUTCOMES[outcome])
                .register(registry);
      }
    }
  }

  @Override
  public void register(FamilyRecord family) {
    timed(
        Operation.REGISTER,
        () -> {
          delegate.register(family);
          return null;
        });
  }

  @Override
  public RotationResult rotate(RotationRequest request) {
    return timed(Operation.ROTATE, () -> delegate.rotate(request));
  }

  @Override
  public boolean isActive(String familyId, Instant now) {
    return timed(Operation.IS_ACTIVE, () -> delegate.isActive(familyId, now));
  }

  @Override
  public void revokeFamily(String familyId) {
    timed(
        Operation.REVOKE_FAMILY,
        () -> {
          delegate.revokeFamily(familyId);
          return null;
        });
  }

  @Override
  public int revokeSubject(String subject, Instant now) {
    return timed(Operation.REVOKE_SUBJECT, () -> delegate.revokeSubject(subject, now));
  }

  private <T> T timed(Operation operation, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    int outcome = 2;
    try {
      T result = call.get();
      outcome = 0;
      return result;
    } catch (StoreUnavailableException e) {
      outcome = 1;
      throw e;
    } finally {
      sample.stop(timers[operation.ordinal()][outcome]);
    }
  }

  /** Closes the delegate when it is {@link AutoCloseable}. */
  @Override
  public void close() throws Exception {
    if (delegate instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Override
  public String toString() {
    return "MeteredRefreshTokenStore[" + delegate + "]";
  }
}
