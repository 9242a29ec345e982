package dev.jwtsession;

import dev.jwtsession.internal.TokenCodec;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Renews sessions from verified refresh tokens: asks the application's {@link Reauth}, issues the
 * successor tokens and, with rotation on, rotates them in the store.
 *
 * <p>Race-safe by construction: concurrent requests with one refresh token share one renewal
 * (single flight, so one {@code Reauth} call per JVM); with rotation on, the renewal is also
 * remembered for the grace window, and late arrivals on other nodes get the same successor through
 * the store's {@code REUSED_WITHIN_GRACE} answer. So every request of a burst is authenticated and
 * the browser ends up with one consistent cookie pair, without a false theft alarm.
 */
final class Renewals {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  /** How long a request waits for another request's reauth of the same refresh token. */
  private static final long FOLLOWER_WAIT_SECONDS = 30;

  private final Reauth reauth;
  private final TokenIssuer tokens;
  private final TokenCodec accessCodec;
  private final TokenCodec refreshCodec;
  private final @Nullable RotationSettings rotation;
  private final @Nullable RefreshTokenStore store;
  private final SessionListener listener;
  private final long reuseWindowMillis;
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
      TokenCodec accessCodec,
      TokenCodec refreshCodec,
      @Nullable RotationSettings rotation,
      SessionListener listener) {
    this.grace = rotation == null ? Duration.ZERO : rotation.reuseGrace();
    this.reauth = reauth;
    this.tokens = tokens;
    this.accessCodec = accessCodec;
    this.refreshCodec = refreshCodec;
    this.rotation = rotation;
    this.store = rotation == null ? null : rotation.store();
    this.listener = listener;
    this.reuseWindowMillis = rotation == null ? 0 : rotation.reuseGrace().toMillis();
  }

  /** Single flight: concurrent requests with one refresh token share one renewal. */
  Renewal renew(String refreshToken, Verification verifiedRefresh, long now) {
    Renewal remembered = remembered(refreshToken, now);
    if (remembered != null) {
      return remembered;
    }
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
      // A leader that finished between our first look and our putIfAbsent left its result in
      // `recent`: use it rather than renewing (and calling Reauth) a second time.
      remembered = remembered(refreshToken, now);
      result = remembered != null ? remembered : renewAsLeader(verifiedRefresh, now);
      if (remembered == null && result.kind == Renewal.Kind.RENEWED && store != null) {
        // With rotation, a late arrival must get the same successor (the store would answer it
        // anyway); remembering it here saves that request a Reauth call and a store round trip.
        remember(refreshToken, result, now);
      }
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

  /** The renewal remembered for this refresh token within the grace window, or {@code null}. */
  private @Nullable Renewal remembered(String refreshToken, long now) {
    Renewal done = recent.get(refreshToken);
    return done != null && now < done.reusableUntil ? stillActive(done, now) : null;
  }

  /**
   * A renewal remembered for late arrivals is handed out only while its family is live, so a logout
   * or a theft alarm right after a renewal is not undone by a replay inside the window.
   */
  private Renewal stillActive(Renewal done, long now) {
    if (store == null) {
      return done;
    }
    try {
      String family = done.access().verification().claims().familyId().orElse("");
      return store.isActive(family, Instant.ofEpochMilli(now)) ? done : Renewal.ENDED_RESULT;
    } catch (RuntimeException e) { // StoreUnavailableException, or a broken store
      listener.rejected(TokenType.REFRESH, RejectionReason.STORE_UNAVAILABLE);
      return Renewal.UNAVAILABLE_RESULT;
    }
  }

  private Renewal renewAsLeader(Verification verifiedRefresh, long now) {
    Claims refreshClaims = verifiedRefresh.claims();
    Optional<Payloads> answer;
    try {
      answer = reauth.reauth(refreshClaims);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the Reauth callback threw; the request stays anonymous and the " + "cookies are kept",
          e);
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return Renewal.UNAVAILABLE_RESULT;
    }
    // A refresh token minted by the SvelteKit hook (svelteKitInterop) has no family: it renews into
    // a new one, registered in the store with rotation on.
    boolean foreign = refreshClaims.familyId().isEmpty();
    String family = foreign ? tokens.newId() : refreshClaims.familyId().orElseThrow();
    if (answer == null || answer.isEmpty()) {
      listener.reauthRefused(refreshClaims);
      if (store != null && !foreign) {
        try {
          store.revokeFamily(family);
        } catch (StoreUnavailableException e) {
          LOG.log(
              Level.WARNING, "could not revoke refused family " + family + ": store unavailable");
        }
      }
      return Renewal.ENDED_RESULT;
    }
    Payloads payloads = answer.get();
    try {
      tokens.requireUserPayloads(payloads);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "the Reauth callback returned unusable payloads: " + e.getMessage());
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return Renewal.UNAVAILABLE_RESULT;
    }
    long absoluteExpiry = verifiedRefresh.aexMillis();
    long count = refreshClaims.refreshCount() + 1;
    Issued newAccess = tokens.access(payloads.access(), family, count, now, absoluteExpiry);
    if (store == null) {
      Issued newRefresh =
          payloads.refresh() == null
              ? null
              : tokens.refresh(
                  payloads.refresh(), family, count, tokens.newId(), now, absoluteExpiry);
      listener.reauthenticated(newAccess.verification().claims());
      return Renewal.renewed(newAccess, newRefresh, now + reuseWindowMillis);
    }
    String jti = tokens.newId();
    Map<String, Object> refreshPayload =
        payloads.refresh() != null ? payloads.refresh() : refreshClaims.userClaims();
    Issued newRefresh = tokens.refresh(refreshPayload, family, count, jti, now, absoluteExpiry);
    if (foreign) {
      return registerForeign(payloads, newAccess, newRefresh, family, jti, absoluteExpiry, now);
    }
    RotationResult rotated;
    try {
      rotated =
          store.rotate(
              new RotationRequest(
                  family,
                  refreshClaims.jwtId().orElseThrow(),
                  jti,
                  newAccess.token() + " " + newRefresh.token(),
                  Instant.ofEpochMilli(now),
                  grace,
                  Instant.ofEpochMilli(newRefresh.verification().expMillis())));
    } catch (StoreUnavailableException e) {
      listener.rejected(TokenType.REFRESH, RejectionReason.STORE_UNAVAILABLE);
      return Renewal.UNAVAILABLE_RESULT;
    }
    switch (rotated.outcome()) {
      case ROTATED -> {
        listener.reauthenticated(newAccess.verification().claims());
        return Renewal.renewed(newAccess, newRefresh, now + reuseWindowMillis);
      }
      case REUSED_WITHIN_GRACE -> {
        return fromSuccessor(Objects.requireNonNull(rotated.successor()), now);
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

  /** Registers the new family a hook-minted refresh token renewed into. */
  private Renewal registerForeign(
      Payloads payloads,
      Issued newAccess,
      Issued newRefresh,
      String family,
      String jti,
      long absoluteExpiry,
      long now) {
    RefreshTokenStore store = Objects.requireNonNull(this.store);
    Object subject = payloads.refresh() == null ? null : payloads.refresh().get("sub");
    if (!(subject instanceof String)) {
      subject = payloads.access().get("sub");
    }
    if (!(subject instanceof String text) || text.isEmpty()) {
      LOG.log(Level.ERROR, "with rotation on, the Reauth payloads need a 'sub' claim");
      listener.rejected(TokenType.REFRESH, RejectionReason.REAUTH_FAILED);
      return Renewal.UNAVAILABLE_RESULT;
    }
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
    return Renewal.renewed(newAccess, newRefresh, now + reuseWindowMillis);
  }

  /**
   * The pair another request (or node) issued for the same refresh token within the grace window.
   */
  private Renewal fromSuccessor(String successor, long now) {
    int space = successor.indexOf(' ');
    if (space < 0) {
      return Renewal.UNAVAILABLE_RESULT;
    }
    String accessToken = successor.substring(0, space);
    String refreshToken = successor.substring(space + 1);
    Verification verifiedAccess = accessCodec.verify(accessToken);
    Verification verifiedRefresh = refreshCodec.verify(refreshToken);
    if (!verifiedAccess.verified() || !verifiedRefresh.verified()) {
      LOG.log(
          Level.WARNING,
          "the store returned a successor that does not verify; are all nodes "
              + "configured with the same keys?");
      return Renewal.UNAVAILABLE_RESULT;
    }
    return Renewal.renewed(
        new Issued(accessToken, verifiedAccess),
        new Issued(refreshToken, verifiedRefresh),
        now + reuseWindowMillis);
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
