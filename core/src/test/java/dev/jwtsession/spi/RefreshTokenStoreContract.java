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
  void presentingTheRotatedJtiAgainAnswersItsOneSuccessorAndTheStoredRotationInstant() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));

    RotationResult late =
        store.rotate(rotation(family, "jti-1", "jti-other", rotatedAt.plusMillis(1500)));

    assertThat(late.outcome()).isEqualTo(Outcome.ALREADY_ROTATED);
    assertThat(late.successorJti()).isEqualTo("jti-2");
    assertThat(late.rotatedAt()).as("the winner's instant, not the caller's").isEqualTo(rotatedAt);
    assertThat(store.isActive(family, rotatedAt.plusSeconds(1))).isTrue();
    // Nothing changed: the winner's successor jti is still the newest one.
    assertThat(store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plusSeconds(2))).outcome())
        .isEqualTo(Outcome.ROTATED);
  }

  // ---- I2: a lost reply is renewed, whatever the delay

  @Test
  void aRotatedJtiWhoseSuccessorWasNeverUsedIsAnsweredThatSuccessorLongAfterTheGraceWindow() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));

    Instant muchLater = rotatedAt.plus(GRACE).plus(Duration.ofMinutes(20));
    RotationResult lostReply = store.rotate(rotation(family, "jti-1", "jti-x", muchLater));
    RotationResult again =
        store.rotate(rotation(family, "jti-1", "jti-y", muchLater.plusSeconds(1)));

    assertThat(lostReply.outcome()).isEqualTo(Outcome.ALREADY_ROTATED);
    assertThat(lostReply.successorJti()).isEqualTo("jti-2");
    assertThat(lostReply.rotatedAt()).isEqualTo(rotatedAt);
    assertThat(again.successorJti()).as("I1: one successor, never a second").isEqualTo("jti-2");
    assertThat(store.isActive(family, muchLater)).isTrue();
    // The late successor is then used normally.
    assertThat(store.rotate(rotation(family, "jti-2", "jti-3", muchLater.plusSeconds(2))).outcome())
        .isEqualTo(Outcome.ROTATED);
  }

  @Test
  void aLostReplyRenewalMovesTheIdleExpiryButNeverPastTheAbsoluteExpiry() {
    String family = UUID.randomUUID().toString();
    Instant absolute = t0.plus(Duration.ofMinutes(50));
    store.register(new FamilyRecord(family, "alice", "jti-1", t0.plus(LIFETIME), absolute));
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));
    Instant retry = rotatedAt.plus(Duration.ofMinutes(25));

    store.rotate(rotation(family, "jti-1", "jti-x", retry));

    assertThat(store.isActive(family, rotatedAt.plus(LIFETIME).plusSeconds(1)))
        .as("the re-issued successor's cookie lives from the retry on")
        .isTrue();
    assertThat(store.isActive(family, absolute.minusMillis(1))).isTrue();
    assertThat(store.isActive(family, absolute)).as("I5").isFalse();
  }

  // ---- I3: once the successor was used, the ancestor beyond the grace window is theft

  @Test
  void onceTheSuccessorWasUsedTheAncestorBeyondTheGraceWindowIsReuseAndRevokesTheFamily() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));
    store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plusSeconds(1)));

    RotationResult reuse = store.rotate(rotation(family, "jti-1", "jti-x", rotatedAt.plus(GRACE)));

    assertThat(reuse.outcome()).isEqualTo(Outcome.REUSE_DETECTED);
    assertThat(reuse.successorIfAny()).isEmpty();
    assertThat(store.isActive(family, rotatedAt.plus(GRACE))).isFalse();
    // The holder of the newest token is logged out too: the thief may hold it. (I4)
    assertThat(store.rotate(rotation(family, "jti-3", "jti-4", rotatedAt.plus(GRACE))).outcome())
        .isEqualTo(Outcome.REVOKED);
    assertThat(store.rotate(rotation(family, "jti-2", "jti-4", rotatedAt.plus(GRACE))).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  @Test
  void anAncestorWithinTheGraceWindowOfItsSuccessorsIssueGetsThatSuccessorEvenIfItWasUsed() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));
    store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plusSeconds(1)));

    RotationResult straggler =
        store.rotate(rotation(family, "jti-1", "jti-x", rotatedAt.plus(GRACE).minusMillis(1)));

    assertThat(straggler.outcome()).isEqualTo(Outcome.ALREADY_ROTATED);
    assertThat(straggler.successorJti()).isEqualTo("jti-2");
    assertThat(straggler.rotatedAt()).isEqualTo(rotatedAt);
    assertThat(store.rotate(rotation(family, "jti-2", "jti-x", rotatedAt.plusSeconds(3))).outcome())
        .as("and that successor, presented again, gets its own successor")
        .isEqualTo(Outcome.ALREADY_ROTATED);
  }

  @Test
  void anAncestorTwoRotationsBackOfTheNewestUsedTokenIsReuseEvenWithinGrace() {
    String family = registerFamily("alice", "jti-1");
    store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));
    store.rotate(rotation(family, "jti-2", "jti-3", t0.plusSeconds(61)));
    store.rotate(rotation(family, "jti-3", "jti-4", t0.plusSeconds(62)));

    RotationResult reuse = store.rotate(rotation(family, "jti-1", "jti-x", t0.plusSeconds(63)));

    assertThat(reuse.outcome()).isEqualTo(Outcome.REUSE_DETECTED);
    assertThat(store.rotate(rotation(family, "jti-4", "jti-5", t0.plusSeconds(64))).outcome())
        .isEqualTo(Outcome.REVOKED);
  }

  // ---- I6 and late nodes: the grace window runs from the stored rotation instant

  @Test
  void theGraceWindowRunsFromTheStoredRotationInstantNotFromWhenANodeLearnedIt() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));
    // A late node learns the successor near the end of the window...
    assertThat(
            store
                .rotate(rotation(family, "jti-1", "jti-x", rotatedAt.plus(GRACE).minusMillis(1)))
                .rotatedAt())
        .isEqualTo(rotatedAt);
    store.rotate(rotation(family, "jti-2", "jti-3", rotatedAt.plus(GRACE).minusMillis(1)));

    // ...which does not extend the window for the ancestor once the successor was used.
    assertThat(store.rotate(rotation(family, "jti-1", "jti-y", rotatedAt.plus(GRACE))).outcome())
        .isEqualTo(Outcome.REUSE_DETECTED);
  }

  // ---- skewed clocks

  @Test
  void aNodeWhoseClockIsFarAheadGetsTheUnusedSuccessorNotATheftAlarm() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(60);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));

    RotationResult ahead =
        store.rotate(rotation(family, "jti-1", "jti-x", rotatedAt.plus(GRACE.multipliedBy(10))));

    assertThat(ahead.outcome()).isEqualTo(Outcome.ALREADY_ROTATED);
    assertThat(ahead.successorJti()).isEqualTo("jti-2");
  }

  @Test
  void aNodeWhoseClockIsBehindTheRotationInstantGetsTheSuccessorAndNeverShortensTheExpiry() {
    String family = registerFamily("alice", "jti-1");
    Instant rotatedAt = t0.plusSeconds(600);
    store.rotate(rotation(family, "jti-1", "jti-2", rotatedAt));
    Instant behind = rotatedAt.minusSeconds(120);

    RotationResult late = store.rotate(rotation(family, "jti-1", "jti-x", behind));
    RotationResult next = store.rotate(rotation(family, "jti-2", "jti-3", behind.plusSeconds(1)));

    assertThat(late.outcome()).isEqualTo(Outcome.ALREADY_ROTATED);
    assertThat(late.successorJti()).isEqualTo("jti-2");
    assertThat(next.outcome()).isEqualTo(Outcome.ROTATED);
    assertThat(store.isActive(family, rotatedAt.plus(LIFETIME).minusMillis(1)))
        .as("the idle expiry set by the node that was ahead stays")
        .isTrue();
  }

  // ---- I4: revocation wins and is final

  @Test
  void aRevocationRacingRotationsLeavesTheFamilyRevokedForGood() throws Exception {
    String family = registerFamily("alice", "jti-0");
    Instant now = t0.plusSeconds(60);
    int rotations = 8;
    ExecutorService pool = Executors.newFixedThreadPool(rotations + 1);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < rotations; i++) {
        String presented = "jti-" + i;
        String successor = "jti-" + (i + 1);
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.rotate(rotation(family, presented, successor, now));
                }));
      }
      calls.add(
          pool.submit(
              () -> {
                go.await();
                store.revokeFamily(family);
                return null;
              }));
      go.countDown();
      for (Future<?> call : calls) {
        call.get(20, TimeUnit.SECONDS);
      }

      assertThat(store.isActive(family, now)).isFalse();
      for (int i = 0; i <= rotations; i++) {
        assertThat(store.rotate(rotation(family, "jti-" + i, "jti-z", now)).outcome())
            .isEqualTo(Outcome.REVOKED);
      }
      assertThat(store.isActive(family, now.plusSeconds(1))).isFalse();
    } finally {
      pool.shutdownNow();
    }
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
        new RotationRequest(family, "jti-1", "jti-2", rotatedAt, GRACE, rotatedAt.plus(LIFETIME));

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
  void concurrentRotationsOfTheSameJtiHaveExactlyOneWinnerAndTheOthersGetItsSuccessorAndInstant()
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
                  return store.rotate(rotation(family, "jti-1", candidate, now));
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
          .filteredOn(r -> r.outcome() == Outcome.ALREADY_ROTATED)
          .hasSize(threads - 1)
          .allSatisfy(r -> assertThat(r.rotatedAt()).isEqualTo(now));
      List<String> successors =
          results.stream()
              .map(RotationResult::successorJti)
              .distinct()
              .filter(s -> s != null)
              .toList();
      assertThat(successors).hasSize(1);
      String winner = successors.get(0);
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
    return new RotationRequest(familyId, presented, successorJti, now, GRACE, now.plus(LIFETIME));
  }
}
