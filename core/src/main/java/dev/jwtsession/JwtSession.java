package dev.jwtsession;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
  private final boolean svelteKitInterop;
  private final CsrfCheck csrf;
  private final BearerSettings bearer;
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
    this.svelteKitInterop = b.svelteKitInterop;
    this.csrf = csrf;
    this.bearer = b.bearerBuilder.build();
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

  /**
   * The public JWK Set of the access token's RSA, EC and Ed25519 keys, signing and
   * verification-only, each with {@code kid}, {@code use: sig} and its pinned {@code alg}: what a
   * JWKS endpoint ({@code JwksServlet}) publishes, so other services can verify access tokens
   * without holding a signing secret. Never refresh keys, never HMAC secrets, never private
   * members. During a key rotation it lists the new key from phase 1 on.
   *
   * @throws JwtSessionConfigException when the access keys are HMAC secrets only, or access tokens
   *     are encrypted (other services could not read them)
   */
  public com.nimbusds.jose.jwk.JWKSet publicAccessKeys() {
    List<String> problems = new ArrayList<>();
    if (accessCodec.encrypted()) {
      problems.add(
          "jwks: access tokens are encrypted, so other services could not read them. Publish "
              + "keys only for signed (not encrypted) access tokens, or drop access.encryption.");
    }
    if (accessCodec.publicKeys().isEmpty()) {
      problems.add(
          "jwks: the access keys are HMAC secrets only. HMAC secrets are never published; use "
              + "RSA, EC or Ed25519 keys.");
    }
    if (!problems.isEmpty()) {
      throw new JwtSessionConfigException(problems);
    }
    return new com.nimbusds.jose.jwk.JWKSet(accessCodec.publicKeys());
  }

  /** The cross-site request check adapters run before the application. */
  public CsrfCheck csrf() {
    return csrf;
  }

  /** Whether API clients may authenticate with {@code Authorization: Bearer}. */
  public BearerSettings bearer() {
    return bearer;
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
  public Session resolve(@Nullable String cookieHeader, CookieSink response) {
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
              : verifyAccess(found.header(), found.accessStart(), found.accessEnd(), now);
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
   * Resolves the session of one request from its {@code Cookie} and {@code Authorization} headers.
   * With {@link Builder#bearer bearer} on and an {@code Authorization} header whose scheme is
   * {@code Bearer} (see {@link #isBearerRequest}), that header alone decides: cookies are not read,
   * renewed or cleared, nothing is written to {@code response}, and an expired or invalid token is
   * simply anonymous (the verified-token cache and the access revocation check apply as for
   * cookies). Otherwise exactly {@link #resolve(String, CookieSink)}. Never throws for anything the
   * client sent.
   *
   * @param cookieHeader the request's {@code Cookie} header, or {@code null}
   * @param authorizationHeader the request's {@code Authorization} header, or {@code null}
   * @param response where the {@code Set-Cookie} headers of this request go
   */
  public Session resolve(
      @Nullable String cookieHeader, @Nullable String authorizationHeader, CookieSink response) {
    if (authorizationHeader == null || !isBearerRequest(authorizationHeader)) {
      return resolve(cookieHeader, response);
    }
    Session session = new Session(this, Objects.requireNonNull(response, "response"));
    session.bearerRequest();
    int start = bearerTokenStart(authorizationHeader);
    if (start < 0) {
      listener.rejected(TokenType.ACCESS, RejectionReason.MALFORMED);
      return session;
    }
    Verification verification =
        verifyAccess(authorizationHeader, start, authorizationHeader.length(), clock.millis());
    if (verification.verified()) {
      session.authenticate(verification.claims(), false);
    } else {
      listener.rejected(TokenType.ACCESS, verification.rejection());
    }
    return session;
  }

  /**
   * Whether bearer is on and this {@code Authorization} header has the scheme {@code Bearer}
   * (case-insensitive), well-formed or not: then the header decides the request, and adapters skip
   * the cross-site check (a cross-site form cannot send the header).
   */
  public boolean isBearerRequest(@Nullable String authorizationHeader) {
    return bearer.enabled()
        && authorizationHeader != null
        && authorizationHeader.regionMatches(true, 0, "Bearer", 0, 6)
        && (authorizationHeader.length() == 6 || authorizationHeader.charAt(6) == ' ');
  }

  /**
   * Where the token of {@code Bearer 1*SP b64token} starts (RFC 6750 §2.1), or -1 when the
   * credentials are not exactly that: no token, two tokens, characters outside b64token.
   */
  private static int bearerTokenStart(String header) {
    int i = 6;
    int length = header.length();
    while (i < length && header.charAt(i) == ' ') {
      i++;
    }
    if (i == 6 || i == length || length - i > TokenCodec.MAX_TOKEN_LENGTH) {
      return -1;
    }
    int start = i;
    while (i < length && isB64TokenChar(header.charAt(i))) {
      i++;
    }
    if (i == start) {
      return -1;
    }
    while (i < length && header.charAt(i) == '=') {
      i++;
    }
    return i == length ? start : -1;
  }

  private static boolean isB64TokenChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
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

  // ---- API clients (Authorization: Bearer)

  /**
   * Logs in an API client: signs the tokens {@link Session#login} would put in cookies (same
   * payload rules; with rotation on the family is registered) and returns them, for the client to
   * send as {@code Authorization: Bearer} and to {@link #refreshTokens}. The listener hears {@code
   * loggedIn}.
   *
   * @throws IllegalArgumentException if a payload sets a claim jwt-session manages, holds a value
   *     that is not JSON, or makes a token larger than 4096 bytes
   * @throws StoreUnavailableException with rotation on, if the store is unreachable
   */
  public TokenPair issueTokens(Payloads payloads) {
    long now = clock.millis();
    LoginTokens issued = issueLogin(payloads, now);
    listener.loggedIn(issued.access().verification().claims());
    return pair(issued.access(), issued.refresh(), now);
  }

  /**
   * Renews an API client's tokens from its refresh token, on the very path cookie renewal takes:
   * the token is verified (signature, type, expiry, absolute lifetime), {@link Reauth} decides,
   * concurrent calls with one token share one renewal (single flight), and with rotation on the
   * token is rotated: a repeat within the grace window gets the identical successor, a repeat after
   * it is reuse and revokes the family. Never throws for anything the client sent.
   *
   * @throws IllegalStateException if no {@link Reauth} is configured (nothing could renew)
   */
  public RefreshResult refreshTokens(String refreshToken) {
    Renewals renewals = this.renewals;
    if (renewals == null) {
      throw new IllegalStateException(
          "refreshTokens needs a Reauth to decide renewals: configure "
              + "JwtSession.builder().reauth(refresh -> ...)");
    }
    if (refreshToken == null) {
      listener.rejected(TokenType.REFRESH, RejectionReason.MALFORMED);
      return RefreshResult.refused(RejectionReason.MALFORMED);
    }
    long now = clock.millis();
    Verification verified = verifyRefresh(refreshToken, now);
    if (!verified.verified()) {
      listener.rejected(TokenType.REFRESH, verified.rejection());
      return RefreshResult.refused(verified.rejection());
    }
    Renewal renewal = renewals.renew(refreshToken, verified, now);
    return switch (renewal.kind) {
      case RENEWED -> RefreshResult.renewed(pair(renewal.access(), renewal.refresh, now));
      case ENDED -> RefreshResult.refused(renewal.endReason());
      case UNAVAILABLE -> RefreshResult.unavailable();
    };
  }

  /**
   * API logout: revokes the login family of a refresh token, so it and every token rotated from it
   * are refused from now on (access tokens too when the access revocation check is on, else when
   * they expire). Never throws for anything the client sent.
   *
   * @return whether a family was revoked: {@code false} for an invalid or expired token, when
   *     rotation is off (there is no store to revoke in) or when the store is unreachable (the
   *     listener then hears {@link SessionListener#revocationFailed})
   */
  public boolean revokeRefreshToken(String refreshToken) {
    if (refreshToken == null) {
      return false;
    }
    Verification verified = verifyRefresh(refreshToken, clock.millis());
    if (!verified.verified()) {
      listener.rejected(TokenType.REFRESH, verified.rejection());
      return false;
    }
    String family = verified.claims().familyId().orElse(null);
    RefreshTokenStore store = this.store;
    if (store == null || family == null) {
      return false;
    }
    // Not a rejection of the token (and no renewal failed) when the store cannot revoke.
    if (!Revocations.revoke(store, family, listener, "revokeRefreshToken")) {
      return false;
    }
    listener.loggedOut(family);
    return true;
  }

  private static TokenPair pair(Issued accessToken, @Nullable Issued refreshToken, long now) {
    return new TokenPair(
        accessToken.token(),
        Instant.ofEpochMilli(accessToken.verification().expMillis()),
        refreshToken == null ? null : refreshToken.token(),
        refreshToken == null ? null : Instant.ofEpochMilli(refreshToken.verification().expMillis()),
        Instant.ofEpochMilli(now));
  }

  // ---- session operations

  void login(Session session, Payloads payloads) {
    long now = clock.millis();
    LoginTokens issued = issueLogin(payloads, now);
    Issued newAccess = issued.access();
    Issued newRefresh = issued.refresh();
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

  /**
   * Signs a new login's tokens and, with rotation on, registers its family: the access token and
   * the refresh token ({@code null} when the payloads have no refresh part).
   */
  private LoginTokens issueLogin(Payloads payloads, long now) {
    Objects.requireNonNull(payloads, "payloads");
    tokens.requireUserPayloads(payloads);
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
    return new LoginTokens(newAccess, newRefresh);
  }

  /** A new login's tokens; {@code refresh} is {@code null} for an access-only login. */
  private record LoginTokens(Issued access, @Nullable Issued refresh) {}

  private void revokeReplaced(@Nullable String family) {
    if (store == null || family == null) {
      return;
    }
    Revocations.revoke(store, family, listener, "a login replacing a session");
  }

  /** Logs {@code session} out; returns whether its family was revoked in the store. */
  boolean logout(Session session) {
    String family = session.familyToRevoke();
    // The cookies are cleared below whatever the store answers.
    boolean revoked =
        store != null && family != null && Revocations.revoke(store, family, listener, "logout");
    // Only a request that holds session cookies gets clearing ones: a forged cross-site logout that
    // SameSite stripped of cookies must not be able to delete them through its response.
    boolean clearCookies = session.hasSessionCookies();
    session.becomeAnonymous();
    clear(session, clearCookies, clearCookies);
    listener.loggedOut(family);
    return revoked;
  }

  // ---- internals

  /** Verifies the access token at {@code text[start, end)}: cookie value or bearer token. */
  private Verification verifyAccess(String text, int start, int end, long now) {
    Verification verification = accessCache.get(text, start, end);
    if (verification == null) {
      String token = text.substring(start, end);
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
        if (family == null && svelteKitInterop) {
          // A hook-minted access token belongs to no family the store knows: revocation applies
          // from its first renewal on (documented with svelteKitInterop).
          return verification;
        }
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
        + ", "
        + bearer
        + (svelteKitInterop ? ", svelteKitInterop=on" : "")
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
    private final BearerSettings.Builder bearerBuilder = new BearerSettings.Builder(problems);
    private @Nullable Reauth reauth;
    private Clock clock = Clock.systemUTC();
    private Duration leeway = DEFAULT_LEEWAY;
    private @Nullable String issuer;
    private @Nullable String audience;
    private SessionListener listener = new LoggingListener();
    private int accessCacheSize = DEFAULT_ACCESS_CACHE_SIZE;
    private int maxCookieHeaderLength = DEFAULT_MAX_COOKIE_HEADER_LENGTH;
    private boolean svelteKitInterop;
    private boolean built;

    private Builder() {}

    /**
     * The access token: cookie name, cookie attributes, {@code maxAge} (its lifetime) and secret.
     * May be called more than once (e.g. by configuration and then by a customizer): the calls add
     * to the same settings, and each single setting may still be made only once.
     */
    public Builder access(Consumer<TokenSettings.Builder> settings) {
      settings.accept(accessBuilder);
      return this;
    }

    /**
     * The refresh token: cookie name, cookie attributes, {@code maxAge} (its lifetime) and secret.
     * May be called more than once, like {@link #access}.
     */
    public Builder refresh(Consumer<TokenSettings.Builder> settings) {
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
     * RotationSettings}. {@code rotation(r -> {})} uses the in-memory store. May be called more
     * than once, like {@link #access}.
     */
    public Builder rotation(Consumer<RotationSettings.Builder> settings) {
      RotationSettings.Builder rotation = rotationBuilder;
      if (rotation == null) {
        rotation = new RotationSettings.Builder(problems);
        rotationBuilder = rotation;
      }
      settings.accept(rotation);
      return this;
    }

    /**
     * The cross-site request check the adapters run; on by default. See {@link CsrfCheck}. May be
     * called more than once, like {@link #access}.
     */
    public Builder csrf(Consumer<CsrfCheck.Builder> settings) {
      settings.accept(csrfBuilder);
      return this;
    }

    /**
     * Lets API clients authenticate with {@code Authorization: Bearer}: {@code bearer(b ->
     * b.enabled(true))}. Off by default (cookies only). See {@link BearerSettings}.
     */
    public Builder bearer(Consumer<BearerSettings.Builder> settings) {
      problems.once("bearer");
      settings.accept(bearerBuilder);
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
     * Also accepts the cookies the SvelteKit hook {@code svelte-kit-jwt-session} mints (opt-in,
     * default {@code false}), so a SvelteKit front end and this back end share sessions, or users
     * move to Java without logging in again. Such tokens are HS256 with the configured text secret
     * (its UTF-8 bytes), header {@code {"alg":"HS256","typ":"JWT"}} or without {@code typ}, no
     * {@code kid}, and a payload of the application's claims plus {@code iat} (and {@code exp} when
     * present). Tokens this engine writes are readable by the hook as they are.
     *
     * <p>With the mode on: a token without {@code exp} is valid until {@code iat} plus its cookie's
     * {@code maxAge}; a hook refresh token renews into a new family (registered in the store when
     * rotation is on, so reuse detection and revocation start from that first renewal; a hook
     * access token is not checked against the store). Every other rule stays: algorithm pinning,
     * header allow-list, size limits, {@code nbf}/{@code iat} sanity, secrets of 32+ bytes.
     *
     * <p><b>Security:</b> hook tokens carry no {@code typ} of ours, so only the key tells an access
     * token from a refresh token: access and refresh must use different HS256 secrets (checked at
     * {@code build()}), and neither may be encrypted.
     */
    public Builder svelteKitInterop(boolean enabled) {
      problems.once("svelteKitInterop");
      this.svelteKitInterop = enabled;
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
      if (access != null
          && refresh != null
          && access.encryption().isPresent()
          && refresh.encryption().isPresent()) {
        for (byte[] accessKey : access.encryption().get().keys().values()) {
          for (byte[] refreshKey : refresh.encryption().get().keys().values()) {
            if (Arrays.equals(accessKey, refreshKey)) {
              problems.add(
                  "refresh.encryption",
                  "uses a key that access.encryption uses too, so an access token could be "
                      + "replayed as a refresh token if typ were ever ignored",
                  "Give each token type its own random 32-byte keys");
            }
          }
        }
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
      if (svelteKitInterop && access != null && refresh != null) {
        checkInterop(access, refresh);
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
              encryptionOf(access),
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
              encryptionOf(refresh),
              "refresh",
              problems);
      if (!problems.isEmpty() || accessCodec == null || refreshCodec == null) {
        throw new JwtSessionConfigException(problems.list());
      }
      if (svelteKitInterop) {
        Duration loginLifetime =
            rotation != null && rotation.absoluteLifetimeOrNull() != null
                ? rotation.absoluteLifetimeOrNull()
                : refresh.maxAge();
        accessCodec =
            accessCodec.acceptingHookTokens(access.maxAge().toSeconds(), loginLifetime.toSeconds());
        refreshCodec =
            refreshCodec.acceptingHookTokens(
                refresh.maxAge().toSeconds(), loginLifetime.toSeconds());
      }
      return new JwtSession(
          this, access, refresh, accessCodec, refreshCodec, rotation, csrf, managedClaims);
    }

    private void checkInterop(TokenSettings access, TokenSettings refresh) {
      for (TokenSettings settings : List.of(access, refresh)) {
        String name = settings == access ? "access" : "refresh";
        JWK signing = settings.keys().problems().isEmpty() ? settings.keys().signingKey() : null;
        if (signing != null
            && !(signing instanceof OctetSequenceKey
                && (signing.getAlgorithm() == null
                    || JWSAlgorithm.HS256.equals(signing.getAlgorithm())))) {
          problems.add(
              "svelteKitInterop",
              "the " + name + " signing key is not an HS256 secret, but the hook signs with one",
              "Use " + name + "(t -> t.secret(..)) with the secret the SvelteKit side uses");
        }
        if (settings.encryption().isPresent()) {
          problems.add(
              "svelteKitInterop",
              name + " tokens are encrypted, which the hook cannot read",
              "Drop " + name + ".encryption or the interop mode");
        }
      }
      for (JWK a : octetKeys(access.keys())) {
        for (JWK r : octetKeys(refresh.keys())) {
          if (Arrays.equals(
              ((OctetSequenceKey) a).toByteArray(), ((OctetSequenceKey) r).toByteArray())) {
            problems.add(
                "svelteKitInterop",
                "access and refresh use the same secret. Hook tokens carry no typ of ours, so "
                    + "only the key tells an access token from a refresh token; with one secret a "
                    + "refresh token would pass as an access token and the reverse",
                "Give the two token types different secrets, on the SvelteKit side too");
          }
        }
      }
    }

    private static List<JWK> octetKeys(Keys keys) {
      if (!keys.problems().isEmpty()) {
        return List.of();
      }
      List<JWK> all = new ArrayList<>();
      all.add(keys.signingKey());
      all.addAll(keys.verificationKeys());
      all.removeIf(key -> !(key instanceof OctetSequenceKey));
      return all;
    }

    private static TokenCodec.@Nullable Encryption encryptionOf(TokenSettings settings) {
      return settings
          .encryption()
          .map(keys -> new TokenCodec.Encryption(keys.encryptingKid(), keys.keys()))
          .orElse(null);
    }
  }
}
