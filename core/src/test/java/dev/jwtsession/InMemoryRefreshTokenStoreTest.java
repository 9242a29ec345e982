package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.EngineHarness;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStoreContract;
import dev.jwtsession.spi.RotationResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  void whenFullAndEverySubjectHoldsOneFamilyTheFamilyExpiringSoonestIsEvictedAndCountsAsRevoked() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(2);
    bounded.register(family("late", "alice", 100));
    bounded.register(family("soon", "carol", 1));

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
  void oneSubjectLoggingInRepeatedlyEvictsOnlyItsOwnOldestFamiliesAndTheListenerHearsIt() {
    List<String> heard = new ArrayList<>();
    InMemoryRefreshTokenStore store =
        InMemoryRefreshTokenStore.builder()
            .maxFamiliesPerSubject(3)
            .listener(
                new SessionListener() {
                  @Override
                  public void familyEvicted(
                      String subject, String familyId, SessionListener.Eviction cause) {
                    heard.add(subject + ":" + familyId + ":" + cause);
                  }
                })
            .build();
    store.register(family("alice-1", "alice", 0));
    for (int i = 1; i <= 5; i++) {
      store.register(family("mallory-" + i, "mallory", 0));
    }

    assertThat(store.isActive("alice-1", t0)).isTrue();
    assertThat(store.isActive("mallory-1", t0)).isFalse();
    assertThat(store.isActive("mallory-2", t0)).isFalse();
    assertThat(store.isActive("mallory-3", t0)).isTrue();
    assertThat(store.isActive("mallory-5", t0)).isTrue();
    assertThat(store.size()).isEqualTo(4);
    assertThat(heard)
        .containsExactly("mallory:mallory-1:SUBJECT_CAP", "mallory:mallory-2:SUBJECT_CAP");
    assertThat(store.revokeSubject("mallory", t0)).isEqualTo(3);
  }

  @Test
  void whenFullTheSubjectHoldingTheMostFamiliesLosesItsOldestNotSomeoneElse() {
    List<String> heard = new ArrayList<>();
    InMemoryRefreshTokenStore store =
        InMemoryRefreshTokenStore.builder()
            .maxFamilies(4)
            .listener(
                new SessionListener() {
                  @Override
                  public void familyEvicted(
                      String subject, String familyId, SessionListener.Eviction cause) {
                    heard.add(familyId + ":" + cause);
                  }
                })
            .build();
    // alice's and bob's families expire soonest: the old rule evicted them first.
    store.register(family("alice-1", "alice", 0));
    store.register(family("bob-1", "bob", 1));
    for (int i = 1; i <= 10; i++) {
      store.register(family("mallory-" + i, "mallory", 100 + i));
    }

    assertThat(store.isActive("alice-1", t0)).isTrue();
    assertThat(store.isActive("bob-1", t0)).isTrue();
    assertThat(store.isActive("mallory-9", t0)).isTrue();
    assertThat(store.isActive("mallory-10", t0)).isTrue();
    assertThat(store.size()).isEqualTo(4);
    assertThat(heard).hasSize(8).allMatch(event -> event.startsWith("mallory-"));
    assertThat(heard).first().isEqualTo("mallory-1:STORE_FULL");
  }

  @Test
  void theEnginesDefaultStoreCapsEachSubjectAtFiftyAndReportsToTheEnginesListener() {
    CapturingListener listener = new CapturingListener();
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("a")
                        .maxAge(Duration.ofMinutes(1))
                        .secret(EngineHarness.ACCESS_SECRET))
            .refresh(
                t ->
                    t.cookieName("r")
                        .maxAge(Duration.ofDays(1))
                        .secret(EngineHarness.REFRESH_SECRET))
            .rotation(r -> {})
            .listener(listener)
            .build();
    InMemoryRefreshTokenStore store =
        (InMemoryRefreshTokenStore) engine.rotation().orElseThrow().store();
    assertThat(store.maxFamiliesPerSubject())
        .isEqualTo(InMemoryRefreshTokenStore.DEFAULT_MAX_FAMILIES_PER_SUBJECT)
        .isEqualTo(50);

    for (int i = 0; i < 51; i++) {
      engine
          .resolve(null, new RecordingCookieSink())
          .login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));
    }

    assertThat(store.size()).isEqualTo(50);
    assertThat(listener.events()).contains("familyEvicted:SUBJECT_CAP");
  }

  @Test
  void nonPositiveBoundsAreAllReportedAtOnce() {
    assertThatThrownBy(
            () ->
                InMemoryRefreshTokenStore.builder().maxFamilies(0).maxFamiliesPerSubject(0).build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("maxFamilies: must be at least 1, was 0")
        .hasMessageContaining("maxFamiliesPerSubject: must be at least 1, was 0");
  }

  @Test
  void expiredFamiliesDisappearOnceNowPassesTheRefreshLifetime() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(BOUND);
    for (int i = 0; i < BOUND; i++) {
      bounded.register(family("f" + i, "user" + (i % 1_000), i % 60));
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
  void whenFullTheFamilyEvictedIsTheOneEndingSoonestByItsExtendedEndNotTheEndItWasRegisteredWith() {
    InMemoryRefreshTokenStore bounded = InMemoryRefreshTokenStore.withMaxFamilies(2);
    bounded.register(family("extended", "alice", 1));
    bounded.register(family("idle", "carol", 100));
    // Rotation moves "extended" past "idle"; the store keeps its expiry key where it was.
    assertThat(
            bounded
                .rotate(rotation("extended", "jti-extended", "x", t0.plusSeconds(600)))
                .outcome())
        .isEqualTo(Outcome.ROTATED);

    bounded.register(family("new", "bob", 50));

    assertThat(bounded.isActive("idle", t0)).isFalse();
    assertThat(bounded.isActive("extended", t0)).isTrue();
    assertThat(bounded.isActive("new", t0)).isTrue();
  }

  @Test
  void aFamilyExtendedTwiceStaysUntilItsLatestEndAndIsThenSwept() {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.withMaxFamilies(BOUND);
    store.register(family("f", "alice", 0));
    store.rotate(rotation("f", "jti-f", "jti-f2", t0.plusSeconds(600)));
    store.isActive("other", t0.plus(LIFETIME)); // moves the key to the first extension's end
    store.rotate(rotation("f", "jti-f2", "jti-f3", t0.plus(LIFETIME).plusSeconds(1)));

    store.isActive("other", t0.plusSeconds(600).plus(LIFETIME));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.isActive("f", t0.plus(LIFETIME).plus(LIFETIME))).isTrue();

    store.isActive("other", t0.plus(LIFETIME).plusSeconds(1).plus(LIFETIME));
    assertThat(store.size()).isZero();
  }

  @Test
  void aNonPositiveBoundIsRejectedWithTheSettingsName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InMemoryRefreshTokenStore.withMaxFamilies(0))
        .withMessageContaining("maxFamilies: must be at least 1, was 0");
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
