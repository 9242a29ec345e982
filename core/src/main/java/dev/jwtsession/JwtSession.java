package dev.jwtsession;

import dev.jwtsession.internal.CookieHeader;
import dev.jwtsession.internal.Problems;
import dev.jwtsession.internal.SetCookie;
import dev.jwtsession.internal.TokenCodec;
import dev.jwtsession.internal.TokenCodec.Issued;
import dev.jwtsession.internal.Verification;
import dev.jwtsession.internal.VerifiedTokenCache;
import dev.jwtsession.spi.CookieSink;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The session engine: the Java form of SvelteKit's {@code handleSession({access, refresh,
 * reauth})}. Built once, immutable and thread-safe; an adapter (servlet filter, plugin) calls
 * {@link #resolve} for every request.
 *
 * <pre>{@code
 * JwtSession sessions = JwtSession.builder()
 *     .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(1)).secret(accessSecret))
 *     .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(refreshSecret))
 *     .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
 *     .build();
 * }</pre>
 *
 * <p>What {@link #resolve} does, in order: a valid access cookie authenticates the request (the
 * common case: a cache hit, no cookie written). Otherwise a valid refresh cookie, when a {@link
 * Reauth} is configured, is handed to it and its answer renews both cookies in this very request.
 * Every invalid cookie is cleared; nothing a client sends is ever thrown to the application, and
 * the reason goes to the {@link SessionListener}.
 */
public final class JwtSession {

  private static final System.Logger LOG = System.getLogger("dev.jwtsession");

  /** Claims jwt-session sets itself; user payloads must not. */
  private static final Set<String> MANAGED_CLAIMS =
      Set.of("iat", "exp", "nbf", "jti", "sid", "rot", "aex");

  /** Default size of the verified access-token cache, in entries. */
  public static final int DEFAULT_ACCESS_CACHE_SIZE = 4096;

  /** Default largest {@code Cookie} header read, in characters; larger ones are ignored unread. */
  public static final int DEFAULT_MAX_COOKIE_HEADER_LENGTH = 16 * 1024;

  /** Default clock-skew leeway for {@code exp}, {@code nbf} and {@code iat}: 5 seconds. */
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);

  private final TokenSettings access;
  private final TokenSettings refresh;
  private final TokenCodec accessCodec;
  private final TokenCodec refreshCodec;
  private final @Nullable Reauth reauth;
  private final Clock clock;
  private final SessionListener listener;
  private final @Nullable RotationSettings rotation;
  private final @Nullable RefreshTokenStore store;
  private final boolean checkAccessRevocation;
  private final CsrfCheck csrf;
  private final VerifiedTokenCache accessCache;
  private final TokenIssuer tokens;
  private final @Nullable Renewals renewals;
  private final Duration absoluteLifetime;
  private final int maxCookieHeaderLength;
  private final String clearAccessHeader;
  private final String clearRefreshHeader;

  private JwtSession(
      Builder b,
      TokenSettings access,
      TokenSettings refresh,
      TokenCodec accessCodec,
      TokenCodec refreshCodec,
      @Nullable RotationSettings rotation,
      CsrfCheck csrf,
      Set<String> managed) {
    this.access = access;
    this.refresh = refresh;
    this.accessCodec = accessCodec;
    this.refreshCodec = refreshCodec;
    this.reauth = b.reauth;
    this.clock = b.clock;
    this.listener = new SafeListener(b.listener);
    this.rotation = rotation;
    this.store = rotation == null ? null : rotation.store();
    this.checkAccessRevocation = rotation != null && rotation.checkAccessRevocation();
    this.csrf = csrf;
    this.accessCache = new VerifiedTokenCache(b.accessCacheSize);
    this.tokens =
        new TokenIssuer(access, refresh, accessCodec, refreshCodec, b.issuer, b.audience, managed);
    this.renewals = reauth == null ? null : new Renewals(reauth, tokens, rotation, listener);
    this.absoluteLifetime =
        rotation != null && rotation.absoluteLifetimeOrNull() != null
            ? rotation.absoluteLifetimeOrNull()
            : refresh.maxAge();
    this.maxCookieHeaderLength = b.maxCookieHeaderLength;
    // Constant per configuration: built once, so clearing a junk cookie formats nothing.
    this.clearAccessHeader = SetCookie.clear(access.cookieName(), access.cookie());
    this.clearRefreshHeader = SetCookie.clear(refresh.cookieName(), refresh.cookie());
  }

  /** Starts a configuration; see {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The access-token settings. */
  public TokenSettings accessSettings() {
    return access;
  }

  /** The refresh-token settings. */
  public TokenSettings refreshSettings() {
    return refresh;
  }

  /** The cross-site request check adapters run before the application. */
  public CsrfCheck csrf() {
    return csrf;
  }

  /** The rotation settings, when rotation is on. */
  public Optional<RotationSettings> rotation() {
    return Optional.ofNullable(rotation);
  }

  // ---- for adapters

  /**
   * Resolves the session of one request from its {@code Cookie} header. Writes, through {@code
   * response}, the cookies that change (renewed tokens, cleared bad cookies); writes nothing when
   * the access token is valid. Never throws for anything the client sent.
   *
   * @param cookieHeader the request's {@code Cookie} header (several joined with {@code "; "}), or
   *     {@code null}
   * @param response where the {@code Set-Cookie} headers of this request go, now and on later
   *     {@link Session#login}/{@link Session#logout}
   */
  public Session resolve(String cookieHeader, CookieSink response) {
    Session session = new Session(this, Objects.requireNonNull(response, "response"));
    if (cookieHeader == null || cookieHeader.isEmpty()) {
      return session;
    }
    if (cookieHeader.length() > maxCookieHeaderLength) {
      listener.rejected(TokenType.ACCESS, RejectionReason.TOO_LARGE);
      return session;
    }
    CookieHeader.Found found =
        CookieHeader.find(cookieHeader, access.cookieName(), refresh.cookieName());
    if (!found.hasAccess() && !found.hasRefresh()) {
      return session;
    }
    session.carriedSessionCookie();
    long now = clock.millis();
    boolean clearAccess = false;
    if (found.hasAccess()) {
      Verification verification =
          found.accessAmbiguous()
              ? Verification.rejected(RejectionReason.DUPLICATE_COOKIE)
              : verifyAccess(found, now);
      if (verification.verified()) {
        session.authenticate(verification.claims(), false);
        return session;
      }
      listener.rejected(TokenType.ACCESS, verification.rejection());
      clearAccess = true;
    }
    if (!found.hasRefresh()) {
      clear(session, clearAccess, false);
      return session;
    }
    String refreshToken = found.refresh();
    Verification verifiedRefresh =
        found.refreshAmbiguous()
            ? Verification.rejected(RejectionReason.DUPLICATE_COOKIE)
            : verifyRefresh(refreshToken, now);
    if (!verifiedRefresh.verified()) {
      listener.rejected(TokenType.REFRESH, verifiedRefresh.rejection());
      clear(session, clearAccess, true);
      return session;
    }
    session.refreshClaims(verifiedRefresh.claims());
    Renewals renewals = this.renewals;
    if (renewals == null) { // no Reauth configured
      clear(session, clearAccess, false);
      return session;
    }
    Renewal renewal = renewals.renew(refreshToken, verifiedRefresh, now);
    switch (renewal.kind) {
      case RENEWED -> {
        Instant instant = Instant.ofEpochMilli(now);
        session.authenticate(renewal.access().verification().claims(), true);
        session.write(
            TokenType.ACCESS, access.cookieName(), setCookie(access, renewal.access(), instant));
        if (renewal.refresh != null) {
          session.write(
              TokenType.REFRESH,
              refresh.cookieName(),
              setCookie(refresh, renewal.refresh, instant));
        }
      }
      case ENDED -> {
        session.becomeAnonymous();
        clear(session, true, true);
      }
      case UNAVAILABLE -> clear(session, clearAccess, false);
    }
    return session;
  }

  /**
   * Makes {@code session} the one {@link Session#current()} returns on this thread until the
   * returned binding is closed. Adapters call it around the handler: {@code try (var b =
   * engine.bind(s)) {...}}.
   */
  public Binding bind(Session session) {
    return Session.bind(Objects.requireNonNull(session, "session"));
  }

  /** Undoes a {@link #bind}; closing never throws. */
  @FunctionalInterface
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  // ---- revocation

  /**
   * Revokes every session (login family) of a subject: "log out everywhere", e.g. after a password
   * change. Their refresh tokens are refused from now on; their access tokens too when the access
   * revocation check is on, else when they expire.
   *
   * @return how many families were revoked
   * @throws IllegalStateException if rotation is off (there is no store to revoke in)
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public int revokeAllSessions(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (store == null) {
      throw new IllegalStateException(
          "revokeAllSessions needs a store: turn rotation on with "
              + "JwtSession.builder().rotation(r -> ...)");
    }
    int revoked = store.revokeSubject(subject, Instant.ofEpochMilli(clock.millis()));
    listener.revoked(subject, revoked);
    return revoked;
  }

  // ---- session operations

  void login(Session session, Payloads payloads) {
    Objects.requireNonNull(payloads, "payloads");
    tokens.requireUserPayloads(payloads);
    long now = clock.millis();
    String family = tokens.newId();
    long absoluteExpiry = now + absoluteLifetime.toMillis();
    Issued newAccess = tokens.access(payloads.access(), family, 0, now, absoluteExpiry);
    Issued newRefresh = null;
    if (payloads.refresh() != null) {
      String jti = tokens.newId();
      newRefresh = tokens.refresh(payloads.refresh(), family, 0, jti, now, absoluteExpiry);
      if (store != null) {
        String subject = subjectOf(payloads);
        store.register(
            new FamilyRecord(
                family,
                subject,
                jti,
                Instant.ofEpochMilli(newRefresh.verification().expMillis()),
                Instant.ofEpochMilli(absoluteExpiry)));
      }
    } else if (store != null && checkAccessRevocation) {
      // An access-only login is a family too: the revocation check looks every access token's
      // family up, so an unregistered one would be REVOKED on the very next request. Its jti is
      // fresh and never issued, so no refresh token can ever rotate it.
      store.register(
          new FamilyRecord(
              family,
              subjectOf(payloads),
              tokens.newId(),
              Instant.ofEpochMilli(newAccess.verification().expMillis()),
              Instant.ofEpochMilli(absoluteExpiry)));
    }
    // Session fixation across logins: a login on a request that already holds a live session (or
    // a second login in one request) ends the older family, so its tokens cannot come back.
    revokeReplaced(session.familyToRevoke());
    Instant instant = Instant.ofEpochMilli(now);
    session.authenticate(newAccess.verification().claims(), false);
    session.write(TokenType.ACCESS, access.cookieName(), setCookie(access, newAccess, instant));
    if (newRefresh != null) {
      session.refreshClaims(newRefresh.verification().claims());
      session.write(
          TokenType.REFRESH, refresh.cookieName(), setCookie(refresh, newRefresh, instant));
    }
    listener.loggedIn(newAccess.verification().claims());
  }

  private void revokeReplaced(@Nullable String family) {
    if (store == null || family == null) {
      return;
    }
    try {
      store.revokeFamily(family);
    } catch (StoreUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "login could not revoke the replaced family "
              + family
              + " (store unavailable): its refresh token stays valid until it expires");
    }
  }

  void logout(Session session) {
    String family = session.familyToRevoke();
    if (store != null && family != null) {
      try {
        store.revokeFamily(family);
      } catch (StoreUnavailableException e) {
        LOG.log(
            Level.WARNING,
            "logout could not revoke family "
                + family
                + " (store unavailable): "
                + "the cookies are cleared, but a copy of the refresh token stays valid until it expires");
      }
    }
    // Only a request that holds session cookies gets clearing ones: a forged cross-site logout that
    // SameSite stripped of cookies must not be able to delete them through its response.
    boolean clearCookies = session.hasSessionCookies();
    session.becomeAnonymous();
    clear(session, clearCookies, clearCookies);
    listener.loggedOut(family);
  }

  // ---- internals

  private Verification verifyAccess(CookieHeader.Found found, long now) {
    Verification verification =
        accessCache.get(found.header(), found.accessStart(), found.accessEnd());
    if (verification == null) {
      String token = found.access();
      verification = accessCodec.verify(token);
      accessCache.put(token, verification);
    }
    if (!verification.verified()) {
      return verification;
    }
    RejectionReason late = accessCodec.checkTime(verification, now);
    if (late != null) {
      return Verification.rejected(late);
    }
    RefreshTokenStore store = this.store;
    if (store != null && checkAccessRevocation) {
      Object family = verification.claims().get("sid");
      try {
        if (!(family instanceof String id) || !store.isActive(id, Instant.ofEpochMilli(now))) {
          return Verification.rejected(RejectionReason.REVOKED);
        }
      } catch (RuntimeException e) { // StoreUnavailableException, or a broken store
        // Availability over immediacy: the token is still signed and unexpired.
        listener.rejected(TokenType.ACCESS, RejectionReason.STORE_UNAVAILABLE);
      }
    }
    return verification;
  }

  private Verification verifyRefresh(String token, long now) {
    Verification verification = refreshCodec.verify(token);
    if (!verification.verified()) {
      return verification;
    }
    RejectionReason late = refreshCodec.checkTime(verification, now);
    return late == null ? verification : Verification.rejected(late);
  }

  private static String setCookie(TokenSettings settings, Issued issued, Instant now) {
    return SetCookie.set(
        settings.cookieName(),
        issued.token(),
        settings.cookie(),
        now,
        Instant.ofEpochMilli(issued.verification().expMillis()));
  }

  private void clear(Session session, boolean clearAccess, boolean clearRefresh) {
    if (clearAccess) {
      session.write(TokenType.ACCESS, access.cookieName(), clearAccessHeader);
    }
    if (clearRefresh) {
      session.write(TokenType.REFRESH, refresh.cookieName(), clearRefreshHeader);
    }
  }

  private String subjectOf(Payloads payloads) {
    Map<String, Object> refreshPayload = payloads.refresh();
    Object subject = refreshPayload == null ? null : refreshPayload.get("sub");
    if (!(subject instanceof String)) {
      subject = payloads.access().get("sub");
    }
    if (!(subject instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException(
          "with rotation on, the payloads need a 'sub' claim (a "
              + "non-empty string): it keys \"log out everywhere\"");
    }
    return text;
  }

  @Override
  public String toString() {
    return "JwtSession[access="
        + access
        + ", refresh="
        + refresh
        + ", reauth="
        + (reauth == null ? "off" : "on")
        + ", rotation="
        + (rotation == null ? "off" : rotation)
        + ", "
        + csrf
        + "]";
  }

  /**
   * Configures a {@link JwtSession}. Access and refresh settings are required; everything else has
   * a safe default. Each setting may be set once; {@link #build()} reports every problem at once in
   * a {@link JwtSessionConfigException}. Single use.
   */
  public static final class Builder {

    private final Problems problems = new Problems();
    private final TokenSettings.Builder accessBuilder =
        new TokenSettings.Builder("access", problems);
    private final TokenSettings.Builder refreshBuilder =
        new TokenSettings.Builder("refresh", problems);
    private RotationSettings.@Nullable Builder rotationBuilder;
    private final CsrfCheck.Builder csrfBuilder = new CsrfCheck.Builder(problems);
    private @Nullable Reauth reauth;
    private Clock clock = Clock.systemUTC();
    private Duration leeway = DEFAULT_LEEWAY;
    private @Nullable String issuer;
    private @Nullable String audience;
    private SessionListener listener = new LoggingListener();
    private int accessCacheSize = DEFAULT_ACCESS_CACHE_SIZE;
    private int maxCookieHeaderLength = DEFAULT_MAX_COOKIE_HEADER_LENGTH;
    private boolean built;

    private Builder() {}

    /**
     * The access token: cookie name, cookie attributes, {@code maxAge} (its lifetime) and secret.
     */
    public Builder access(Consumer<TokenSettings.Builder> settings) {
      problems.once("access");
      settings.accept(accessBuilder);
      return this;
    }

    /**
     * The refresh token: cookie name, cookie attributes, {@code maxAge} (its lifetime) and secret.
     */
    public Builder refresh(Consumer<TokenSettings.Builder> settings) {
      problems.once("refresh");
      settings.accept(refreshBuilder);
      return this;
    }

    /**
     * Renews expired access tokens from valid refresh tokens; see {@link Reauth}. Without it, a
     * request whose access token expired is anonymous and the refresh cookie is left alone.
     */
    public Builder reauth(Reauth reauth) {
      problems.once("reauth");
      this.reauth = Objects.requireNonNull(reauth, "reauth");
      return this;
    }

    /**
     * Turns on refresh-token rotation, reuse detection and revocation; see {@link
     * RotationSettings}. {@code rotation(r -> {})} uses the in-memory store.
     */
    public Builder rotation(Consumer<RotationSettings.Builder> settings) {
      problems.once("rotation");
      rotationBuilder = new RotationSettings.Builder(problems);
      settings.accept(rotationBuilder);
      return this;
    }

    /** The cross-site request check the adapters run; on by default. See {@link CsrfCheck}. */
    public Builder csrf(Consumer<CsrfCheck.Builder> settings) {
      problems.once("csrf");
      settings.accept(csrfBuilder);
      return this;
    }

    /**
     * Where time comes from; default {@link Clock#systemUTC()}. Tests pass a clock they advance.
     */
    public Builder clock(Clock clock) {
      problems.once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Clock-skew tolerance for {@code exp}, {@code nbf} and {@code iat}; default 5 seconds, at most
     * 5 minutes. Tokens are issued and checked by the same application, so only the skew between
     * its nodes needs covering. <b>Security:</b> every second of leeway is a second longer an
     * expired token is accepted.
     */
    public Builder leeway(Duration leeway) {
      problems.once("leeway");
      this.leeway = Objects.requireNonNull(leeway, "leeway");
      return this;
    }

    /**
     * An issuer written into every token as {@code iss} and required on every token; default none.
     */
    public Builder issuer(String issuer) {
      problems.once("issuer");
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /**
     * An audience written into every token as {@code aud} and required on every token; default
     * none.
     */
    public Builder audience(String audience) {
      problems.once("audience");
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /** Hears logins, renewals, rejections and revocations; default {@link LoggingListener}. */
    public Builder listener(SessionListener listener) {
      problems.once("listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How many verified access tokens are cached, keyed by the exact token; default {@value
     * #DEFAULT_ACCESS_CACHE_SIZE} (rounded up to a power of two), 0 turns caching off. Each entry
     * holds the token and its parsed claims, about 1.5 KB for a 300-byte token, so the default
     * costs about 6 MB at most. Time claims and revocation are re-checked on every hit.
     */
    public Builder accessCacheSize(int entries) {
      problems.once("accessCacheSize");
      this.accessCacheSize = entries;
      return this;
    }

    /**
     * The largest {@code Cookie} header read, in characters; default {@value
     * #DEFAULT_MAX_COOKIE_HEADER_LENGTH}. A larger header is ignored unread (the request is
     * anonymous).
     */
    public Builder maxCookieHeaderLength(int characters) {
      problems.once("maxCookieHeaderLength");
      this.maxCookieHeaderLength = characters;
      return this;
    }

    /**
     * Validates every setting and builds the engine.
     *
     * @throws JwtSessionConfigException listing every problem found
     */
    public JwtSession build() {
      if (built) {
        throw new IllegalStateException("this JwtSession.Builder was already built; use a new one");
      }
      built = true;
      TokenSettings access = accessBuilder.build();
      TokenSettings refresh = refreshBuilder.build();
      if (access != null && refresh != null && access.cookieName().equals(refresh.cookieName())) {
        problems.add(
            "refresh.cookieName",
            "is the same as access.cookieName ('" + access.cookieName() + "')",
            "Give the two cookies different names");
      }
      if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
        problems.add(
            "leeway",
            "is " + leeway + "; it must be between 0 and 5 minutes",
            "Use a few seconds, e.g. Duration.ofSeconds(5)");
      }
      if (accessCacheSize < 0 || accessCacheSize > (1 << 20)) {
        problems.add(
            "accessCacheSize",
            "is " + accessCacheSize + "; it must be between 0 and 1048576",
            "Use the default or 0 to turn caching off");
      }
      if (maxCookieHeaderLength < 256 || maxCookieHeaderLength > (1 << 20)) {
        problems.add(
            "maxCookieHeaderLength",
            "is " + maxCookieHeaderLength + "; it must be between 256 and 1048576",
            "Use the default, 16384");
      }
      RotationSettings rotation = rotationBuilder == null ? null : rotationBuilder.build(listener);
      CsrfCheck csrf = csrfBuilder.build();
      if (!problems.isEmpty() || access == null || refresh == null) {
        throw new JwtSessionConfigException(problems.list());
      }
      Set<String> managed = new HashSet<>(MANAGED_CLAIMS);
      if (issuer != null) {
        managed.add("iss");
      }
      if (audience != null) {
        managed.add("aud");
      }
      Set<String> managedClaims = Set.copyOf(managed);
      long leewayMillis = leeway.toMillis();
      @Nullable TokenCodec accessCodec =
          TokenCodec.create(
              TokenType.ACCESS,
              access.keys(),
              leewayMillis,
              issuer,
              audience,
              map -> Claims.of(map, managedClaims),
              "access",
              problems);
      @Nullable TokenCodec refreshCodec =
          TokenCodec.create(
              TokenType.REFRESH,
              refresh.keys(),
              leewayMillis,
              issuer,
              audience,
              map -> Claims.of(map, managedClaims),
              "refresh",
              problems);
      if (!problems.isEmpty() || accessCodec == null || refreshCodec == null) {
        throw new JwtSessionConfigException(problems.list());
      }
      return new JwtSession(
          this, access, refresh, accessCodec, refreshCodec, rotation, csrf, managedClaims);
    }
  }
}
