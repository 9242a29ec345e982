package dev.jwtsession.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spi.RotationResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link RefreshTokenStore}, written once; every implementation's test extends this
 * class and supplies {@link #newStore()}.
 *
 * <p>Time is plain {@link Instant} values handed to the store, advanced by adding durations;
 * nothing sleeps. The start instant is the wall clock at the beginning of each test (truncated to
 * seconds), not a fixed date, because a store may also expire data physically against a server
 * clock (Redis {@code PEXPIREAT}) some time after the logical expiry it decides from the passed
 * {@code now}.
 */
public abstract class RefreshTokenStoreContract {

  /** The refresh lifetime used by these scenarios. */
  protected static final Duration LIFETIME = Duration.ofMinutes(30);

  /** The absolute lifetime of a login used by these scenarios. */
  protected static final Duration ABSOLUTE = Duration.ofHours(8);

  /** The grace window used by these scenarios. */
  protected static final Duration GRACE = Duration.ofSeconds(10);

  /** The instant each test starts at. */
  protected Instant t0;

  /** The store under test, fresh for each test. */
  protected RefreshTokenStore store;

  /** A new, empty store for one test. */
  protected abstract RefreshTokenStore newStore();

  /** Releases what {@link #newStore()} created; called after each test. Does nothing by default. */
  protected void closeStore(RefreshTokenStore store) throws Exception {}

  @BeforeEach
  void createStore() {
    t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    store = newStore();
  }

  @AfterEach
  void releaseStore() throws Exception {
    closeStore(store);
  }

  @Test
  void rotatingTheCurrentJtiOfARegisteredFamilyAnswersRotated() {
    String family = registerFamily("alice", "jti-1");

    RotationResult result = store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));

    assertThat(result.outcome()).isEqualTo(Outcome.ROTATED);
    assertThat(result.successorIfAny()).isEmpty();
    assertThat(store.isActive(family, t0.plusSeconds(60))).isTrue();
  }

  @Test
  void theSuccessorJtiBecomesCurrentAndRotatesInItsTurn() {
    String family = registerFamily("alice", "jti-1");
    store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));

    RotationResult result = store.rotate(rotation(family, "jti-2", "jti-3", t0.plusSeconds(120)));

    assertThat(result.outcome()).isEqualTo(Outcome.ROTATED);
  }

  @Test
  void presentingTheRotatedJtiAgainWithinGraceAnswersTheExactStoredSuccessor() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", "successor-of-jti-1", rotatedAt));

    RotationResult late =
        store.rotate(
            rotation(
                family,
                "jti-1",
                "jti-other",
                "other-successor",
                rotatedAt.plus(GRACE).minusMillis(1)));

    assertThat(late.outcome()).isEqualTo(Outcome.REUSED_WITHIN_GRACE);
    assertThat(late.successor()).isEqualTo("successor-of-jti-1");
    assertThat(store.isActive(family, rotatedAt.plusSeconds(1))).isTrue();
    // Nothing changed: the winner's successor jti is still the current one.
    assertThat(store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plusSeconds(2))).outcome())
        .isEqualTo(Outcome.ROTATED);
  }

  @Test
  void presentingTheRotatedJtiAfterGraceIsReuseAndRevokesTheFamily() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));

    RotationResult reuse = store.rotate(rotation(family, "jti-1", "jti-x", rotatedAt.plus(GRACE)));

    assertThat(reuse.outcome()).isEqualTo(Outcome.REUSE_DETECTED);
    assertThat(reuse.successorIfAny()).isEmpty();
    assertThat(store.isActive(family, rotatedAt.plus(GRACE))).isFalse();
    // The legitimate holder of the successor is logged out too: the thief may hold it.
    assertThat(store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plus(GRACE))).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void presentingAnOlderJtiThanThePredecessorIsReuseEvenWithinGrace() {
    String family = registerFamily("alice", "jti-1");
    store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));
    store.rotate(rotation(family, "jti-2", "jti-3", t0.plusSeconds(61)));

    RotationResult reuse = store.rotate(rotation(family, "jti-1", "jti-x", t0.plusSeconds(62)));

    assertThat(reuse.outcome()).isEqualTo(Outcome.REUSE_DETECTED);
    assertThat(store.rotate(rotation(family, "jti-3", "jti-4", t0.plusSeconds(63))).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void presentingAJtiTheFamilyNeverIssuedIsReuseAndRevokesTheFamily() {
    String family = registerFamily("alice", "jti-1");

    RotationResult reuse = store.rotate(rotation(family, "forged", "jti-x", t0.plusSeconds(1)));

    assertThat(reuse.outcome()).isEqualTo(Outcome.REUSE_DETECTED);
    assertThat(store.isActive(family, t0.plusSeconds(1))).isFalse();
  }

  @Test
  void anUnknownFamilyIsAnsweredRevokedAndInactive() {
    String unknown = UUID.randomUUID().toString();

    assertThat(store.rotate(rotation(unknown, "jti-1", "jti-2", t0)).outcome())
        .isEqualTo(Outcome.REVOKED);
    assertThat(store.isActive(unknown, t0)).isFalse();
  }

  @Test
  void aRevokedFamilyIsAnsweredRevokedAndInactive() {
    String family = registerFamily("alice", "jti-1");

    store.revokeFamily(family);

    assertThat(store.isActive(family, t0)).isFalse();
    assertThat(store.rotate(rotation(family, "jti-1", "jti-2", t0)).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void revokingAnUnknownFamilyDoesNothing() {
    String family = registerFamily("alice", "jti-1");

    store.revokeFamily(UUID.randomUUID().toString());

    assertThat(store.isActive(family, t0)).isTrue();
  }

  @Test
  void aFamilyExpiresWhenNowReachesItsExpiresAt() {
    String family = registerFamily("alice", "jti-1");
    Instant expiresAt = t0.plus(LIFETIME);

    assertThat(store.isActive(family, expiresAt.minusMillis(1))).isTrue();
    assertThat(store.isActive(family, expiresAt)).isFalse();
    assertThat(store.rotate(rotation(family, "jti-1", "jti-2", expiresAt)).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void rotationExtendsTheIdleExpiryToNewExpiresAt() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plus(LIFETIME).minusSeconds(1);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));

    assertThat(store.isActive(family, t0.plus(LIFETIME).plusSeconds(1))).isTrue();
    assertThat(store.isActive(family, rotatedAt.plus(LIFETIME))).isFalse();
  }

  @Test
  void rotationNeverExtendsAFamilyPastItsAbsoluteExpiry() {
    String family = UUID.randomUUID().toString();
    Instant absolute = t0.plus(Duration.ofMinutes(45));
    store.register(new FamilyRecord(family, "alice", "jti-1", t0.plus(LIFETIME), absolute));
    Instant rotatedAt = t0.plus(Duration.ofMinutes(29));
    RotationRequest askingTooMuch =
        new RotationRequest(
            family, "jti-1", "jti-2", "s", rotatedAt, GRACE, rotatedAt.plus(LIFETIME));

    assertThat(store.rotate(askingTooMuch).outcome()).isEqualTo(Outcome.ROTATED);

    assertThat(store.isActive(family, absolute.minusMillis(1))).isTrue();
    assertThat(store.isActive(family, absolute)).isFalse();
    assertThat(store.rotate(rotation(family, "jti-2", "jti-3", absolute)).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void revokeSubjectRevokesEveryFamilyOfThatSubjectAndNoOtherAndCountsThem() {
    String laptop = registerFamily("alice", "a-1");
    String phone = registerFamily("alice", "a-2");
    String tablet = registerFamily("alice", "a-3");
    String bobs = registerFamily("bob", "b-1");
    store.rotate(rotation(phone, "a-2", "a-2b", t0.plusSeconds(5)));

    int revoked = store.revokeSubject("alice", t0.plusSeconds(10));

    assertThat(revoked).isEqualTo(3);
    assertThat(store.isActive(laptop, t0.plusSeconds(10))).isFalse();
    assertThat(store.isActive(phone, t0.plusSeconds(10))).isFalse();
    assertThat(store.isActive(tablet, t0.plusSeconds(10))).isFalse();
    assertThat(store.isActive(bobs, t0.plusSeconds(10))).isTrue();
    assertThat(store.rotate(rotation(phone, "a-2b", "a-2c", t0.plusSeconds(11))).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void revokeSubjectCountsOnlyLiveFamilies() {
    registerFamily("alice", "a-1");
    String revokedBefore = registerFamily("alice", "a-2");
    store.revokeFamily(revokedBefore);
    String shortLived = UUID.randomUUID().toString();
    store.register(
        new FamilyRecord(shortLived, "alice", "a-3", t0.plusSeconds(5), t0.plus(ABSOLUTE)));

    assertThat(store.revokeSubject("alice", t0.plusSeconds(10))).isEqualTo(1);
    assertThat(store.revokeSubject("alice", t0.plusSeconds(10))).isZero();
    assertThat(store.revokeSubject("nobody", t0.plusSeconds(10))).isZero();
  }

  @Test
  void concurrentRotationsOfTheSameJtiHaveExactlyOneWinnerAndTheOthersGetItsSuccessor()
      throws Exception {
    String family = registerFamily("alice", "jti-1");
    int threads = 50;
    Instant now = t0.plusSeconds(60);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RotationResult>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String candidate = "jti-2-" + i;
        answers.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return store.rotate(
                      rotation(family, "jti-1", candidate, "successor:" + candidate, now));
                }));
      }
      ready.await();
      go.countDown();
      List<RotationResult> results = new ArrayList<>();
      for (Future<RotationResult> answer : answers) {
        results.add(answer.get(20, TimeUnit.SECONDS));
      }

      assertThat(results).filteredOn(r -> r.outcome() == Outcome.ROTATED).hasSize(1);
      assertThat(results)
          .filteredOn(r -> r.outcome() == Outcome.REUSED_WITHIN_GRACE)
          .hasSize(threads - 1);
      List<String> successors =
          results.stream()
              .map(RotationResult::successor)
              .distinct()
              .filter(s -> s != null)
              .toList();
      assertThat(successors).hasSize(1);
      String winner = successors.get(0).substring("successor:".length());
      assertThat(store.isActive(family, now)).isTrue();
      assertThat(store.rotate(rotation(family, winner, "jti-3", now.plusSeconds(1))).outcome())
          .isEqualTo(Outcome.ROTATED);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Registers a fresh family for {@code subject} at {@link #t0}; returns its id. */
  protected String registerFamily(String subject, String jti) {
    String familyId = UUID.randomUUID().toString();
    store.register(new FamilyRecord(familyId, subject, jti, t0.plus(LIFETIME), t0.plus(ABSOLUTE)));
    return familyId;
  }

  /** A rotation at {@code now} with the scenario's grace and lifetime. */
  protected static RotationRequest rotation(
      String familyId, String presented, String successorJti, Instant now) {
    return rotation(familyId, presented, successorJti, "successor:" + successorJti, now);
  }

  /** A rotation at {@code now} storing {@code successor} beside the presented jti. */
  protected static RotationRequest rotation(
      String familyId, String presented, String successorJti, String successor, Instant now) {
    return new RotationRequest(
        familyId, presented, successorJti, successor, now, GRACE, now.plus(LIFETIME));
  }
}
