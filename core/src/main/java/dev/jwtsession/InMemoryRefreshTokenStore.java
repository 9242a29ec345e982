package dev.jwtsession;

import dev.jwtsession.internal.Problems;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RefreshTokenStore} held in this JVM's memory: correct for one node, lost on restart.
 *
 * <p>It is the default store when rotation is on and there is a single application instance. With
 * several instances behind a load balancer use a shared store (the {@code jwt-session-redis}
 * module), otherwise a refresh token rotated on one node is still current on the others.
 *
 * <h2>Bounded memory</h2>
 *
 * At most {@code maxFamilies} families are retained (default {@value #DEFAULT_MAX_FAMILIES}), and
 * at most {@code maxFamiliesPerSubject} per subject (default {@value
 * #DEFAULT_MAX_FAMILIES_PER_SUBJECT}). A login of a subject at its cap evicts that subject's own
 * oldest family. When the store is full, eviction is fair: the subject holding the most families
 * loses its oldest one, so one account logging in again and again only ever evicts its own logins;
 * only when every subject holds a single family does the family expiring soonest go. Each eviction
 * of a live family is reported to the listener ({@link SessionListener#familyEvicted}).
 * <b>Security:</b> eviction is revocation: the evicted login can no longer refresh and its user
 * signs in again. The store fails closed rather than growing without limit; size the bound to the
 * number of concurrent logins expected within one refresh lifetime.
 *
 * <h2>Expiry</h2>
 *
 * Every expiry is decided against the {@code now} passed by the engine, never against a clock of
 * its own. Expired families are removed when a call finds them, and every call that carries a
 * {@code now} first drops the families whose expiry it has passed (each family is dropped once, so
 * the cost is amortized over its registration). {@link #register}, which carries no time, uses the
 * latest {@code now} seen so far. A rotation only ever moves a family's end later, so it leaves the
 * family where it is in the expiry order; the sweep moves such a family to its real end when it
 * reaches it. A rotation therefore costs one map update, not a reordering of all families.
 *
 * <h2>Concurrency</h2>
 *
 * Thread-safe. {@link #rotate}, {@link #register} and the revocations serialize on one lock, which
 * makes rotation linearizable; rotation happens once per access-token lifetime per user, not on
 * every request. {@link #isActive} reads without taking the lock unless expired families are
 * waiting to be dropped and the lock is free.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

  /** The bound used by {@link #create()}: how many families are retained at most. */
  public static final int DEFAULT_MAX_FAMILIES = 100_000;

  /** The default cap on one subject's live families. */
  public static final int DEFAULT_MAX_FAMILIES_PER_SUBJECT = 50;

  private final int maxFamilies;
  private final int maxFamiliesPerSubject;
  private final SessionListener listener;

  /** Read without the lock by {@link #isActive}; written only while holding it. */
  private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();

  /**
   * Every retained family's {@link Family#key}, soonest end first. A key may be stale: rotation
   * only ever moves a family's end later, so it leaves the key where it is (no tree update on the
   * rotation path) and {@link #sweep} or {@link #soonest} move the key when they reach it. Every
   * key's end is at or before its family's end. Guarded by {@link #lock}.
   */
  private final TreeSet<ExpiryKey> byEnd = new TreeSet<>();

  /** Each subject's family ids in registration order, oldest first. Guarded by {@link #lock}. */
  private final Map<String, LinkedHashSet<String>> familiesBySubject = new HashMap<>();

  /**
   * Subjects by how many families they hold, so the fullest is found in O(log n). Guarded by {@link
   * #lock}.
   */
  private final TreeMap<Integer, LinkedHashSet<String>> subjectsByCount = new TreeMap<>();

  private final ReentrantLock lock = new ReentrantLock();

  /** The soonest end among retained families, so readers know cheaply whether a sweep is due. */
  private volatile Instant nextEnd = Instant.MAX;

  /** The latest {@code now} passed to any call; guarded by {@link #lock} for writes. */
  private volatile Instant latestNow = Instant.MIN;

  private InMemoryRefreshTokenStore(
      int maxFamilies, int maxFamiliesPerSubject, SessionListener listener) {
    this.maxFamilies = maxFamilies;
    this.maxFamiliesPerSubject = maxFamiliesPerSubject;
    this.listener = new SafeListener(listener);
  }

  /**
   * A store retaining at most {@value #DEFAULT_MAX_FAMILIES} families, {@value
   * #DEFAULT_MAX_FAMILIES_PER_SUBJECT} per subject, reporting evictions to no one.
   */
  public static InMemoryRefreshTokenStore create() {
    return builder().build();
  }

  /** Starts configuring a store: bounds and the listener that hears evictions. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A store retaining at most {@code maxFamilies} families; when full, the family expiring soonest
   * is evicted (revoked) to make room.
   *
   * @throws IllegalArgumentException if {@code maxFamilies} is not positive
   */
  public static InMemoryRefreshTokenStore withMaxFamilies(int maxFamilies) {
    if (maxFamilies < 1) {
      throw new IllegalArgumentException(
          "maxFamilies: must be at least 1, was " + maxFamilies + ". Pass a positive bound.");
    }
    return builder().maxFamilies(maxFamilies).build();
  }

  @Override
  public void register(FamilyRecord family) {
    Objects.requireNonNull(family, "family");
    Family entry =
        Family.registered(
            family.familyId(),
            family.subject(),
            family.jti(),
            family.expiresAt(),
            family.absoluteExpiry());
    List<Evicted> evicted = new ArrayList<>(1);
    lock.lock();
    try {
      sweep(latestNow);
      remove(family.familyId());
      LinkedHashSet<String> own = familiesBySubject.get(entry.subject());
      while (own != null && own.size() >= maxFamiliesPerSubject) {
        evict(own.iterator().next(), SessionListener.Eviction.SUBJECT_CAP, evicted);
        own = familiesBySubject.get(entry.subject());
      }
      while (families.size() >= maxFamilies) {
        evict(fairVictim(), SessionListener.Eviction.STORE_FULL, evicted);
      }
      put(entry);
      byEnd.add(entry.key());
      updateNextEnd();
      index(entry.subject(), entry.familyId());
    } finally {
      lock.unlock();
    }
    for (Evicted gone : evicted) { // outside the lock: a listener may be slow
      listener.familyEvicted(gone.subject(), gone.familyId(), gone.cause());
    }
  }

  /**
   * The family to evict when the store is full: the oldest family of the subject holding the most
   * families, or, when every subject holds one, the family expiring soonest. Call with the lock
   * held, on a non-empty store.
   */
  private String fairVictim() {
    Map.Entry<Integer, LinkedHashSet<String>> fullest = subjectsByCount.lastEntry();
    if (fullest != null && fullest.getKey() > 1) {
      String subject = fullest.getValue().iterator().next();
      return Objects.requireNonNull(familiesBySubject.get(subject)).iterator().next();
    }
    return soonest().familyId();
  }

  private void evict(String familyId, SessionListener.Eviction cause, List<Evicted> evicted) {
    Family family = families.get(familyId);
    if (family != null) {
      evicted.add(new Evicted(family.subject(), familyId, cause));
    }
    remove(familyId);
  }

  private record Evicted(String subject, String familyId, SessionListener.Eviction cause) {}

  @Override
  public RotationResult rotate(RotationRequest request) {
    Objects.requireNonNull(request, "request");
    Instant now = request.now();
    lock.lock();
    try {
      sweep(now);
      Family family = families.get(request.familyId());
      if (family == null) {
        return RotationResult.revoked();
      }
      if (!family.isLiveAt(now)) {
        remove(family.familyId());
        return RotationResult.revoked();
      }
      String presented = request.presentedJti();
      if (family.currentJti().equals(presented)) {
        // First use of the newest token: it is confirmed, and rotates.
        put(family.rotatedTo(request.successorJti(), now, request.newExpiresAt()));
        return RotationResult.rotated();
      }
      Instant rotatedAt = family.rotatedAt();
      if (presented.equals(family.previousJti()) && rotatedAt != null) {
        // Its successor was never presented: a lost reply or a parallel request, whatever the
        // delay.
        put(family.extendedTo(request.newExpiresAt()));
        return RotationResult.alreadyRotated(family.currentJti(), rotatedAt);
      }
      Instant previousRotatedAt = family.previousRotatedAt();
      String previous = family.previousJti();
      if (presented.equals(family.olderJti())
          && previous != null
          && previousRotatedAt != null
          && now.isBefore(previousRotatedAt.plus(request.grace()))) {
        // Its successor was already used, but within the grace window of that successor's issue.
        put(family.extendedTo(request.newExpiresAt()));
        return RotationResult.alreadyRotated(previous, previousRotatedAt);
      }
      remove(family.familyId());
      return RotationResult.reuseDetected();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isActive(String familyId, Instant now) {
    Objects.requireNonNull(familyId, "familyId");
    Objects.requireNonNull(now, "now");
    // Lock-free fast path: only take the lock when something is due and nobody else holds it.
    if (!now.isBefore(nextEnd) && lock.tryLock()) {
      try {
        sweep(now);
      } finally {
        lock.unlock();
      }
    }
    Family family = families.get(familyId);
    return family != null && family.isLiveAt(now);
  }

  @Override
  public void revokeFamily(String familyId) {
    Objects.requireNonNull(familyId, "familyId");
    lock.lock();
    try {
      remove(familyId);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int revokeSubject(String subject, Instant now) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(now, "now");
    lock.lock();
    try {
      sweep(now);
      LinkedHashSet<String> ids = familiesBySubject.get(subject);
      if (ids == null) {
        return 0;
      }
      int revoked = 0;
      for (String id : List.copyOf(ids)) {
        Family family = families.get(id);
        if (family != null && family.isLiveAt(now)) {
          revoked++;
        }
        remove(id);
      }
      return revoked;
    } finally {
      lock.unlock();
    }
  }

  /** How many families are retained right now, live or not yet swept; never above the bound. */
  public int size() {
    return families.size();
  }

  /** The configured bound on retained families. */
  public int maxFamilies() {
    return maxFamilies;
  }

  /** The configured cap on one subject's families. */
  public int maxFamiliesPerSubject() {
    return maxFamiliesPerSubject;
  }

  /** Describes the bound and the size only; never a token, a jti or a successor. */
  @Override
  public String toString() {
    return "InMemoryRefreshTokenStore[families="
        + families.size()
        + ", max="
        + maxFamilies
        + ", maxPerSubject="
        + maxFamiliesPerSubject
        + "]";
  }

  /**
   * Drops every family whose end is at or before {@code now}; a family whose key is stale (it was
   * extended after it was keyed) gets its key moved to its real end instead. Call with the lock
   * held.
   */
  private void sweep(Instant now) {
    if (now.isAfter(latestNow)) {
      latestNow = now;
    }
    if (now.isBefore(nextEnd)) {
      return; // nothing is due: the common case, without touching the tree
    }
    while (!byEnd.isEmpty() && !now.isBefore(byEnd.first().end())) {
      Family family = familyOf(byEnd.first());
      if (family.isLiveAt(now)) {
        rekey(family);
      } else {
        remove(family.familyId());
      }
    }
    updateNextEnd();
  }

  /** The key of the family that really ends soonest, after moving stale keys ahead of it. */
  private ExpiryKey soonest() {
    while (true) {
      ExpiryKey first = byEnd.first();
      Family family = familyOf(first);
      if (family.end().equals(first.end())) {
        return first;
      }
      rekey(family);
    }
  }

  /** The family a key belongs to; every key has one, as {@link #remove} drops both together. */
  private Family familyOf(ExpiryKey key) {
    return Objects.requireNonNull(families.get(key.familyId()), "every key has its family");
  }

  /** Moves a family's key to its current end. Call with the lock held. */
  private void rekey(Family family) {
    byEnd.remove(family.key());
    Family rekeyed = family.rekeyed();
    families.put(rekeyed.familyId(), rekeyed);
    byEnd.add(rekeyed.key());
    updateNextEnd();
  }

  /**
   * Replaces a family's state in the map. Its key stays: ends only move later, so the key is at or
   * before the new end. Call with the lock held.
   */
  private void put(Family family) {
    families.put(family.familyId(), family);
  }

  /** Forgets a family everywhere, including the subject index. Call with the lock held. */
  private void remove(String familyId) {
    Family family = families.remove(familyId);
    if (family == null) {
      return;
    }
    byEnd.remove(family.key());
    unindex(family.subject(), familyId);
    updateNextEnd();
  }

  /** Adds a family id to its subject's index. Call with the lock held. */
  private void index(String subject, String familyId) {
    LinkedHashSet<String> ids =
        familiesBySubject.computeIfAbsent(subject, s -> new LinkedHashSet<>());
    if (ids.add(familyId)) {
      recount(subject, ids.size() - 1, ids.size());
    }
  }

  /** Removes a family id from its subject's index. Call with the lock held. */
  private void unindex(String subject, String familyId) {
    LinkedHashSet<String> ids = familiesBySubject.get(subject);
    if (ids != null && ids.remove(familyId)) {
      recount(subject, ids.size() + 1, ids.size());
      if (ids.isEmpty()) {
        familiesBySubject.remove(subject);
      }
    }
  }

  private void recount(String subject, int from, int to) {
    if (from > 0) {
      LinkedHashSet<String> subjects = subjectsByCount.get(from);
      if (subjects != null) {
        subjects.remove(subject);
        if (subjects.isEmpty()) {
          subjectsByCount.remove(from);
        }
      }
    }
    if (to > 0) {
      subjectsByCount.computeIfAbsent(to, c -> new LinkedHashSet<>()).add(subject);
    }
  }

  /** Publishes the soonest key's end for {@link #isActive}'s lock-free check; writes on change. */
  private void updateNextEnd() {
    Instant soonest = byEnd.isEmpty() ? Instant.MAX : byEnd.first().end();
    if (!soonest.equals(nextEnd)) {
      nextEnd = soonest;
    }
  }

  /**
   * Where a family sits in the expiry order: the end it had when it was keyed, then its id. Kept
   * apart from {@link Family} so a rotation, which replaces the family, does not touch the order.
   */
  private record ExpiryKey(Instant end, String familyId) implements Comparable<ExpiryKey> {
    @Override
    public int compareTo(ExpiryKey other) {
      int byEnd = end.compareTo(other.end);
      return byEnd != 0 ? byEnd : familyId.compareTo(other.familyId);
    }
  }

  /**
   * One family's state; immutable, replaced as a whole on rotation so lock-free readers never see a
   * half-written family.
   */
  private record Family(
      String familyId,
      String subject,
      String currentJti,
      @Nullable Instant rotatedAt,
      @Nullable String previousJti,
      @Nullable Instant previousRotatedAt,
      @Nullable String olderJti,
      Instant expiresAt,
      Instant absoluteExpiry,
      ExpiryKey key) {

    static Family registered(
        String familyId, String subject, String jti, Instant expiresAt, Instant absoluteExpiry) {
      return new Family(
          familyId,
          subject,
          jti,
          null,
          null,
          null,
          null,
          expiresAt,
          absoluteExpiry,
          new ExpiryKey(endOf(expiresAt, absoluteExpiry), familyId));
    }

    private static Instant endOf(Instant expiresAt, Instant absoluteExpiry) {
      return expiresAt.isBefore(absoluteExpiry) ? expiresAt : absoluteExpiry;
    }

    /** The first instant at which the family is no longer usable. */
    Instant end() {
      return endOf(expiresAt, absoluteExpiry);
    }

    boolean isLiveAt(Instant now) {
      return now.isBefore(end());
    }

    /** The later of the idle expiry and {@code requested}, never after the absolute expiry. */
    private Instant laterExpiry(Instant requested) {
      Instant later = requested.isAfter(expiresAt) ? requested : expiresAt;
      return later.isAfter(absoluteExpiry) ? absoluteExpiry : later;
    }

    /**
     * The family after its newest token rotated to {@code successorJti}: one generation older
     * everywhere, idle expiry extended as {@link #extendedTo} does.
     */
    Family rotatedTo(String successorJti, Instant now, Instant requestedExpiry) {
      return new Family(
          familyId,
          subject,
          successorJti,
          now,
          currentJti,
          rotatedAt,
          previousJti,
          laterExpiry(requestedExpiry),
          absoluteExpiry,
          key);
    }

    /**
     * The same family with its idle expiry moved to {@code requested} if that is later, never past
     * the absolute expiry: an end only ever moves later, which is what lets the key stay.
     */
    Family extendedTo(Instant requested) {
      Instant later = laterExpiry(requested);
      return later.equals(expiresAt) ? this : with(later, key);
    }

    /** The same family keyed at its current end. */
    Family rekeyed() {
      return with(expiresAt, new ExpiryKey(end(), familyId));
    }

    private Family with(Instant newExpiresAt, ExpiryKey newKey) {
      return new Family(
          familyId,
          subject,
          currentJti,
          rotatedAt,
          previousJti,
          previousRotatedAt,
          olderJti,
          newExpiresAt,
          absoluteExpiry,
          newKey);
    }

    /** Records print jtis by default; this one must not. */
    @Override
    public String toString() {
      return "Family[expiresAt=" + expiresAt + ", absoluteExpiry=" + absoluteExpiry + "]";
    }
  }

  /** Configures an {@link InMemoryRefreshTokenStore}; each setting once, every problem at once. */
  public static final class Builder {

    private final Problems problems = new Problems();
    private int maxFamilies = DEFAULT_MAX_FAMILIES;
    private int maxFamiliesPerSubject = DEFAULT_MAX_FAMILIES_PER_SUBJECT;
    private SessionListener listener = new SessionListener() {};

    private Builder() {}

    /** How many families are retained at most; default {@value #DEFAULT_MAX_FAMILIES}. */
    public Builder maxFamilies(int maxFamilies) {
      problems.once("maxFamilies");
      this.maxFamilies = maxFamilies;
      return this;
    }

    /**
     * How many live families one subject may hold; default {@value
     * #DEFAULT_MAX_FAMILIES_PER_SUBJECT}. A login beyond it evicts the subject's own oldest family.
     */
    public Builder maxFamiliesPerSubject(int maxFamiliesPerSubject) {
      problems.once("maxFamiliesPerSubject");
      this.maxFamiliesPerSubject = maxFamiliesPerSubject;
      return this;
    }

    /**
     * Hears evictions ({@link SessionListener#familyEvicted}); default none. The engine's default
     * store ({@code rotation(r -> {})}) gets the engine's listener.
     */
    public Builder listener(SessionListener listener) {
      problems.once("listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The store.
     *
     * @throws JwtSessionConfigException naming every bound that is not positive
     */
    public InMemoryRefreshTokenStore build() {
      if (maxFamilies < 1) {
        problems.add(
            "maxFamilies", "must be at least 1, was " + maxFamilies, "Pass a positive bound");
      }
      if (maxFamiliesPerSubject < 1) {
        problems.add(
            "maxFamiliesPerSubject",
            "must be at least 1, was " + maxFamiliesPerSubject,
            "Pass a positive cap, e.g. 50");
      }
      if (!problems.isEmpty()) {
        throw new JwtSessionConfigException(problems.list());
      }
      return new InMemoryRefreshTokenStore(maxFamilies, maxFamiliesPerSubject, listener);
    }
  }
}
