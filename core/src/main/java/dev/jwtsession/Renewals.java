package dev.jwtsession;

import dev.jwtsession.internal.TokenCodec.Issued;
import dev.jwtsession.internal.Verification;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Renews sessions from verified refresh tokens: asks the store what the token is entitled to, then
 * the application's {@link Reauth}, and issues the successor tokens (rotation protocol v2, {@code
 * docs/rotation-protocol.md}).
 *
 * <p>With rotation on, the store decides first and {@code Reauth} runs only for a token the store
 * accepted ({@code ROTATED} or {@code ALREADY_ROTATED}); replays of revoked or stolen tokens never
 * reach the application. The store keeps jtis and instants only; the engine signs the successor
 * pair itself. Within the grace window every node signs it at the stored rotation instant, so every
 * answer of a burst carries the same successor (one jti, the same claims); after it (a lost reply)
 * the pair is signed afresh for the same successor jti.
 *
 * <p>Race-safe by construction: concurrent requests with one refresh token share one renewal
 * (single flight, so one {@code Reauth} call per JVM), and a renewal is remembered until its
 * rotation instant plus the grace window, but handed out only after the store confirmed the very
 * same successor for the presented token. So every request of a burst is authenticated and the
 * browser ends up with one consistent cookie pair, without a false theft alarm.
 */
final class Renewals {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  /** How long a request waits for another request's renewal of the same refresh token. */
  private static final long FOLLOWER_WAIT_SECONDS = 30;

  private final Reauth reauth;
  private final TokenIssuer tokens;
  private final @Nullable RefreshTokenStore store;
  private final SessionListener listener;
  private final long graceMillis;
  private final Duration grace;
  private final ConcurrentHashMap<String, CompletableFuture<Renewal>> inFlight =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Renewal> recent = new ConcurrentHashMap<>();

  /**
   * @param rotation the rotation settings, or {@code null} when rotation is off
   */
  Renewals(
      Reauth reauth,
      TokenIssuer tokens,
      @Nullable RotationSettings rotation,
      SessionListener listener) {
    this.grace = rotation == null ? Duration.ZERO : rotation.reuseGrace();
    this.reauth = reauth;
    this.tokens = tokens;
    this.store = rotation == null ? null : rotation.store();
    this.listener = listener;
    this.graceMillis = grace.toMillis();
  }

  /** Single flight: concurrent requests with one refresh token share one renewal. */
  Renewal renew(String refreshToken, Verification verifiedRefresh, long now) {
    CompletableFuture<Renewal> mine = new CompletableFuture<>();
    CompletableFuture<Renewal> leader = inFlight.putIfAbsent(refreshToken, mine);
    if (leader != null) {
      try {
        return leader.get(FOLLOWER_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Renewal.UNAVAILABLE_RESULT;
      } catch (ExecutionException | TimeoutException e) {
        return Renewal.UNAVAILABLE_RESULT;
      }
    }
    Renewal result = Renewal.UNAVAILABLE_RESULT;
    try {
      result =
          store == null
              ? renewWithoutStore(verifiedRefresh, now)
              : renewWithStore(store, refreshToken, verifiedRefresh, now);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "jwt-session could not renew a session; the request stays anonymous", e);
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
    } finally {
      mine.complete(result);
      inFlight.remove(refreshToken, mine);
    }
    return result;
  }

  /** Rotation off: the application decides alone; a refresh payload renews the refresh cookie. */
  private Renewal renewWithoutStore(Verification verifiedRefresh, long now) {
    Claims refreshClaims = verifiedRefresh.claims();
    Asked asked = askApplication(refreshClaims, null);
    Payloads payloads = asked.payloads();
    if (payloads == null) {
      return asked.otherwise();
    }
    // A refresh token minted by the SvelteKit hook (svelteKitInterop) has no family: it renews into
    // a new one.
    String family = refreshClaims.familyId().orElseGet(tokens::newId);
    long absoluteExpiry = verifiedRefresh.aexMillis();
    long count = refreshClaims.refreshCount() + 1;
    Issued newAccess = tokens.access(payloads.access(), family, count, now, absoluteExpiry);
    Issued newRefresh =
        payloads.refresh() == null
            ? null
            : tokens.refresh(
                payloads.refresh(), family, count, tokens.newId(), now, absoluteExpiry);
    listener.reauthenticated(newAccess.verification().claims());
    return Renewal.renewed(newAccess, newRefresh, now + graceMillis);
  }

  /** Rotation on: the store first, then (only for an accepted token) the application. */
  private Renewal renewWithStore(
      RefreshTokenStore store, String refreshToken, Verification verifiedRefresh, long now) {
    Claims refreshClaims = verifiedRefresh.claims();
    if (refreshClaims.familyId().isEmpty()) {
      return renewForeign(store, verifiedRefresh, now);
    }
    String family = refreshClaims.familyId().orElseThrow();
    long absoluteExpiry = verifiedRefresh.aexMillis();
    String jti = tokens.newId();
    RotationResult answer;
    try {
      answer =
          store.rotate(
              new RotationRequest(
                  family,
                  refreshClaims.jwtId().orElseThrow(),
                  jti,
                  Instant.ofEpochMilli(now),
                  grace,
                  Instant.ofEpochMilli(tokens.refreshExpiryMillis(now, absoluteExpiry))));
    } catch (StoreUnavailableException e) {
      listener.rejected(TokenType.REFRESH, RejectionReason.STORE_UNAVAILABLE);
      return Renewal.UNAVAILABLE_RESULT;
    }
    switch (answer.outcome()) {
      case ROTATED -> {
        Renewal renewed = issue(store, refreshToken, verifiedRefresh, jti, now, now);
        if (renewed.kind == Renewal.Kind.RENEWED) {
          listener.reauthenticated(renewed.access().verification().claims());
        }
        return renewed;
      }
      case ALREADY_ROTATED -> {
        String successor = requireNonNull(answer.successorJti());
        long rotatedAt = requireNonNull(answer.rotatedAt()).toEpochMilli();
        boolean withinGrace = now < rotatedAt + graceMillis;
        Renewal done = recent.get(refreshToken);
        if (withinGrace
            && done != null
            && done.refresh != null
            && successor.equals(done.refresh.verification().claims().jwtId().orElse(null))) {
          return done; // the store confirmed this very successor: no second Reauth call
        }
        // Within the grace window sign at the rotation instant, so every node of a burst answers
        // with the same pair; after it (a lost reply) sign a fresh pair for the same successor jti.
        return issue(
            store,
            refreshToken,
            verifiedRefresh,
            successor,
            withinGrace ? rotatedAt : now,
            rotatedAt);
      }
      case REUSE_DETECTED -> {
        listener.reuseDetected(family);
        listener.rejected(TokenType.REFRESH, RejectionReason.REUSE_DETECTED);
        return Renewal.REUSE_DETECTED_RESULT;
      }
      default -> {
        listener.rejected(TokenType.REFRESH, RejectionReason.REVOKED);
        return Renewal.ENDED_RESULT;
      }
    }
  }

  /**
   * Asks the application and signs the successor pair with refresh jti {@code jti} at {@code
   * issuedAt}; the renewal is remembered for late arrivals until {@code rotatedAt} plus the grace
   * window.
   */
  private Renewal issue(
      RefreshTokenStore store,
      String refreshToken,
      Verification verifiedRefresh,
      String jti,
      long issuedAt,
      long rotatedAt) {
    Claims refreshClaims = verifiedRefresh.claims();
    String family = refreshClaims.familyId().orElseThrow();
    Asked asked = askApplication(refreshClaims, store);
    Payloads payloads = asked.payloads();
    if (payloads == null) {
      return asked.otherwise();
    }
    long absoluteExpiry = verifiedRefresh.aexMillis();
    long count = refreshClaims.refreshCount() + 1;
    Issued newAccess = tokens.access(payloads.access(), family, count, issuedAt, absoluteExpiry);
    Map<String, Object> refreshPayload =
        payloads.refresh() != null ? payloads.refresh() : refreshClaims.userClaims();
    Issued newRefresh =
        tokens.refresh(refreshPayload, family, count, jti, issuedAt, absoluteExpiry);
    long reusableUntil = rotatedAt + graceMillis;
    Renewal renewed = Renewal.renewed(newAccess, newRefresh, reusableUntil);
    remember(refreshToken, renewed, issuedAt);
    return renewed;
  }

  /**
   * A refresh token minted by the SvelteKit hook (svelteKitInterop) has no family and is unknown to
   * the store: the application is asked, and the renewal starts a new family registered in the
   * store, from which rotation and reuse detection apply.
   */
  private Renewal renewForeign(RefreshTokenStore store, Verification verifiedRefresh, long now) {
    Claims refreshClaims = verifiedRefresh.claims();
    Asked asked = askApplication(refreshClaims, null);
    Payloads payloads = asked.payloads();
    if (payloads == null) {
      return asked.otherwise();
    }
    Object subject = payloads.refresh() == null ? null : payloads.refresh().get("sub");
    if (!(subject instanceof String)) {
      subject = payloads.access().get("sub");
    }
    if (!(subject instanceof String text) || text.isEmpty()) {
      LOG.log(Level.ERROR, "with rotation on, the Reauth payloads need a 'sub' claim");
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return Renewal.UNAVAILABLE_RESULT;
    }
    String family = tokens.newId();
    String jti = tokens.newId();
    long absoluteExpiry = verifiedRefresh.aexMillis();
    Issued newAccess = tokens.access(payloads.access(), family, 1, now, absoluteExpiry);
    Map<String, Object> refreshPayload =
        payloads.refresh() != null ? payloads.refresh() : refreshClaims.userClaims();
    Issued newRefresh = tokens.refresh(refreshPayload, family, 1, jti, now, absoluteExpiry);
    try {
      store.register(
          new FamilyRecord(
              family,
              text,
              jti,
              Instant.ofEpochMilli(newRefresh.verification().expMillis()),
              Instant.ofEpochMilli(absoluteExpiry)));
    } catch (StoreUnavailableException e) {
      listener.rejected(TokenType.REFRESH, RejectionReason.STORE_UNAVAILABLE);
      return Renewal.UNAVAILABLE_RESULT;
    }
    listener.reauthenticated(newAccess.verification().claims());
    return Renewal.renewed(newAccess, newRefresh, now + graceMillis);
  }

  /** The application's payloads, or (when it refused or failed) the renewal to answer instead. */
  private record Asked(@Nullable Payloads payloads, Renewal otherwise) {}

  private static final Asked FAILED = new Asked(null, Renewal.UNAVAILABLE_RESULT);
  private static final Asked REFUSED = new Asked(null, Renewal.ENDED_RESULT);

  /**
   * Asks the application; when it refuses, the family (if there is a store) is revoked and the
   * answer ends the session; when the callback fails, the cookies are kept.
   */
  private Asked askApplication(Claims refreshClaims, @Nullable RefreshTokenStore store) {
    Optional<Payloads> answer;
    try {
      answer = reauth.reauth(refreshClaims);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the Reauth callback threw; the request stays anonymous and the cookies are kept",
          e);
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return FAILED;
    }
    if (answer == null || answer.isEmpty()) {
      listener.reauthRefused(refreshClaims);
      if (store != null) {
        Revocations.revoke(
            store, refreshClaims.familyId().orElseThrow(), listener, "a refused Reauth");
      }
      return REFUSED;
    }
    Payloads payloads = answer.get();
    try {
      tokens.requireUserPayloads(payloads);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "the Reauth callback returned unusable payloads: " + e.getMessage());
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return FAILED;
    }
    return new Asked(payloads, Renewal.UNAVAILABLE_RESULT);
  }

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("the store answered ALREADY_ROTATED without its successor");
    }
    return value;
  }

  private void remember(String refreshToken, Renewal renewal, long now) {
    if (recent.size() > 1024) {
      recent.values().removeIf(r -> r.reusableUntil <= now);
      if (recent.size() > 8192) {
        recent.clear(); // a burst beyond any real grace-window traffic: forget, stay bounded
      }
    }
    recent.put(refreshToken, renewal);
  }
}
