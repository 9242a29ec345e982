package dev.jwtsession.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeteredRefreshTokenStoreTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long samples(String operation, String outcome) {
    return registry
        .get("jwt.session.store")
        .tags("operation", operation, "outcome", outcome)
        .timer()
        .count();
  }

  @Test
  void answersPassThroughAndEachCallIsOneSuccessSample() {
    MeteredRefreshTokenStore store =
        new MeteredRefreshTokenStore(InMemoryRefreshTokenStore.create(), registry);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    store.register(
        new FamilyRecord("f1", "alice", "j1", now.plusSeconds(60), now.plusSeconds(600)));

    assertThat(store.isActive("f1", now)).isTrue();
    assertThat(store.isActive("nope", now)).isFalse();
    assertThat(store.revokeSubject("alice", now)).isEqualTo(1);
    store.revokeFamily("f1");

    assertThat(samples("register", "success")).isEqualTo(1);
    assertThat(samples("is.active", "success")).isEqualTo(2);
    assertThat(samples("revoke.subject", "success")).isEqualTo(1);
    assertThat(samples("revoke.family", "success")).isEqualTo(1);
  }

  @Test
  void anUnreachableStoreIsAnUnavailableSampleAndStillThrows() {
    CountingStore counted = new CountingStore(InMemoryRefreshTokenStore.create());
    counted.down = true;
    MeteredRefreshTokenStore store = new MeteredRefreshTokenStore(counted, registry);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    assertThatThrownBy(() -> store.isActive("f", now))
        .isInstanceOf(StoreUnavailableException.class);

    assertThat(samples("is.active", "unavailable")).isEqualTo(1);
    assertThat(samples("is.active", "success")).isZero();
  }

  @Test
  void aBrokenStoreIsAnErrorSampleAndStillThrows() {
    RefreshTokenStore broken =
        new CountingStore(InMemoryRefreshTokenStore.create()) {
          @Override
          public RotationResult rotate(RotationRequest request) {
            throw new IllegalStateException("bug in a store");
          }
        };
    MeteredRefreshTokenStore store = new MeteredRefreshTokenStore(broken, registry);

    assertThatThrownBy(() -> store.rotate(null)).isInstanceOf(IllegalStateException.class);

    assertThat(samples("rotate", "error")).isEqualTo(1);
  }

  @Test
  void registersAllFifteenTimersUpFront() {
    new MeteredRefreshTokenStore(InMemoryRefreshTokenStore.create(), registry);

    assertThat(registry.get("jwt.session.store").timers()).hasSize(MeteredRefreshTokenStore.METERS);
  }
}
