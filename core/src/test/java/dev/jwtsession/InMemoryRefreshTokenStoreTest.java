package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStoreContract;
import dev.jwtsession.spi.RotationResult.Outcome;
import org.junit.jupiter.api.Test;

class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {

  private static final int BOUND = 10_000;

  @Override
  protected RefreshTokenStore newStore() {
    return InMemoryRefreshTokenStore.create();
  }

  @Test
  void retainsNoMoreFamiliesThanTheBoundWhen100000Register() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(BOUND);

    for (int i = 0; i < 100_000; i++) {
      bounded.register(family("f" + i, "user" + (i % 5_000), i % 3_600));
      assertThat(bounded.size()).isLessThanOrEqualTo(BOUND);
    }

    assertThat(bounded.size()).isEqualTo(BOUND);
  }

  @Test
  void whenFullTheFamilyExpiringSoonestIsEvictedAndCountsAsRevoked() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(2);
    bounded.register(family("late", "alice", 100));
    bounded.register(family("soon", "alice", 1));

    bounded.register(family("new", "bob", 50));

    assertThat(bounded.size()).isEqualTo(2);
    assertThat(bounded.isActive("soon", t0)).isFalse();
    assertThat(bounded.rotate(rotation("soon", "jti-soon", "x", t0)).outcome())
        .isEqualTo(Outcome.REVOKED);
    assertThat(bounded.isActive("late", t0)).isTrue();
    assertThat(bounded.isActive("new", t0)).isTrue();
    assertThat(bounded.revokeSubject("alice", t0)).isEqualTo(1);
  }

  @Test
  void expiredFamiliesDisappearOnceNowPassesTheRefreshLifetime() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(BOUND);
    for (int i = 0; i < BOUND; i++) {
      bounded.register(family("f" + i, "user" + (i % 100), i % 60));
    }
    assertThat(bounded.size()).isEqualTo(BOUND);

    // Any call carrying a later now sweeps, the cheap read included.
    assertThat(bounded.isActive("f0", t0.plus(LIFETIME).plusSeconds(60))).isFalse();

    assertThat(bounded.size()).isZero();
    assertThat(bounded.revokeSubject("user1", t0.plus(LIFETIME).plusSeconds(60))).isZero();
  }

  @Test
  void aRotatedFamilyIsSweptAtItsNewExpiryNotItsFirst() {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.withMaxFamilies(BOUND);
    store.register(family("f", "alice", 0));
    store.rotate(rotation("f", "jti-f", "jti-f2", t0.plusSeconds(600)));

    store.isActive("other", t0.plus(LIFETIME));
    assertThat(store.size()).isEqualTo(1);

    store.isActive("other", t0.plusSeconds(600).plus(LIFETIME));
    assertThat(store.size()).isZero();
  }

  @Test
  void aNonPositiveBoundIsRejectedWithTheSettingsName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InMemoryRefreshTokenStore.withMaxFamilies(0))
        .withMessageStartingWith("maxFamilies:");
  }

  @Test
  void toStringNeverShowsJtis() {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    store.register(family("family-id-secret", "alice", 0));
    store.rotate(rotation("family-id-secret", "jti-family-id-secret", "jti-next", t0));

    assertThat(store.toString())
        .doesNotContain("jti")
        .doesNotContain("family-id-secret")
        .contains("families=1");
  }

  /** A family whose idle expiry is {@code offsetSeconds} after the refresh lifetime from t0. */
  private FamilyRecord family(String id, String subject, int offsetSeconds) {
    return new FamilyRecord(
        id, subject, "jti-" + id, t0.plus(LIFETIME).plusSeconds(offsetSeconds), t0.plus(ABSOLUTE));
  }
}
