package dev.jwtsession;

import dev.jwtsession.spi.CookieSink;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The session of one request: the Java form of SvelteKit's {@code locals.session}. The adapter
 * resolves it from the request's cookies before the handler runs; the handler reads it and may call
 * {@link #login} or {@link #logout}, whose cookies the adapter writes onto the response.
 *
 * <p>Reach it through the adapter (for servlets {@code JwtSessionFilter.session(request)}) or, on
 * the request's thread, through {@link #current()}. Not thread-safe: it belongs to one request.
 * {@link #toString()} never prints a token or claim values.
 */
public final class Session {

  private static final ThreadLocal<Session> CURRENT = new ThreadLocal<>();

  private final JwtSession engine;
  private final CookieSink sink;
  private Claims claims = Claims.empty();
  private @Nullable Claims refreshClaims;
  private boolean authenticated;
  private boolean reauthenticated;
  private boolean accessWritten;
  private boolean refreshWritten;
  private boolean carriedSessionCookie;
  private boolean bearerRequest;
  private AuthMethod authMethod = AuthMethod.NONE;

  Session(JwtSession engine, CookieSink sink) {
    this.engine = engine;
    this.sink = sink;
  }

  /**
   * The session of the request being handled on this thread.
   *
   * @throws IllegalStateException when no adapter has bound one (no filter installed, or called
   *     from another thread)
   */
  public static Session current() {
    Session session = CURRENT.get();
    if (session == null) {
      throw new IllegalStateException(
          "No jwt-session Session is bound to this thread: install the "
              + "adapter (e.g. JwtSessionFilter) in front of this handler, and call Session.current() on "
              + "the request's own thread");
    }
    return session;
  }

  /** The session of the request on this thread, if an adapter bound one. */
  public static Optional<Session> currentIfBound() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Whether the request carries a valid access token (or was just re-authenticated or logged in).
   */
  public boolean isAuthenticated() {
    return authenticated;
  }

  /** The verified access-token claims; empty when anonymous. */
  public Claims claims() {
    return claims;
  }

  /** The {@code sub} claim of the access token. */
  public Optional<String> subject() {
    return claims.subject();
  }

  /** When the access token expires. */
  public Optional<Instant> expiresAt() {
    return claims.expiresAt();
  }

  /**
   * How this session was authenticated: {@link AuthMethod#COOKIE} (access cookie, renewal or login
   * in this request), {@link AuthMethod#BEARER} ({@code Authorization: Bearer}), or {@link
   * AuthMethod#NONE} when anonymous.
   */
  public AuthMethod authMethod() {
    return authMethod;
  }

  /**
   * Whether this very request renewed an expired or missing access token from the refresh token.
   */
  public boolean reauthenticated() {
    return reauthenticated;
  }

  /** The login family id ({@code sid}) shared by every token of this login. */
  public Optional<String> familyId() {
    return claims.familyId();
  }

  /** How many times this login has been refreshed; 0 right after login. */
  public long refreshCount() {
    return claims.refreshCount();
  }

  /**
   * Logs in: signs an access token (and a refresh token when the payloads have one), sets both
   * cookies on the response, and makes this session authenticated with the new claims at once. The
   * seed's {@code login({accessPayload, refreshPayload})}. With rotation on, the new login family
   * is registered in the store. A login on a request that already holds a live session (or a second
   * login in one request) revokes that older family in the store, so its tokens cannot come back
   * (session fixation across logins).
   *
   * @throws IllegalArgumentException if a payload sets a claim jwt-session manages, holds a value
   *     that is not JSON, or makes a cookie larger than 4096 bytes
   * @throws IllegalStateException if the response is already committed, or this is a bearer-token
   *     request (an API client gets its tokens from {@link JwtSession#issueTokens})
   * @throws dev.jwtsession.spi.StoreUnavailableException with rotation on, if the store is
   *     unreachable
   */
  public void login(Payloads payloads) {
    if (bearerRequest) {
      throw new IllegalStateException(
          "Session.login() sets cookies, but this request authenticates with "
              + "Authorization: Bearer; answer an API client's login with "
              + "JwtSession.issueTokens(payloads) (e.g. TokenResponses.write in the servlet adapter)");
    }
    requireUncommitted("login");
    engine.login(this, payloads);
  }

  /**
   * Logs out: clears both cookies (with the Path and Domain they were set with) and, with rotation
   * on, revokes the login family so its refresh token is refused everywhere. The session is
   * anonymous from here on. On a bearer-token request it revokes the family (rotation on) and
   * writes no cookie.
   *
   * <p>The cookies are cleared whatever the store says. When the store cannot revoke the family
   * (unreachable, or a durable write not confirmed by the replicas) a copy of the refresh token,
   * say a stolen one, still renews until it expires: this returns {@code false}, the listener hears
   * {@link SessionListener#revocationFailed}, and calling {@code logout()} again on a request that
   * still carries the refresh cookie retries the revocation. An application that must guarantee the
   * end of every copy tells the user so and keeps the cookies: check the result before answering,
   * or use {@link #logoutEverywhere()}, which throws instead.
   *
   * @return {@code true} when the login family was revoked in the store, so no copy of its refresh
   *     token renews anywhere; {@code false} when there was nothing to revoke (an anonymous
   *     session, an access-only login, or rotation off, where a refresh token stays valid until it
   *     expires) or the store did not revoke it
   * @throws IllegalStateException if the response is already committed
   */
  public boolean logout() {
    if (!bearerRequest) {
      requireUncommitted("logout");
    }
    return engine.logout(this);
  }

  /**
   * Logs this subject out everywhere: revokes every login family of the subject (every browser and
   * device) and clears this request's cookies. Needs rotation (a store).
   *
   * @throws IllegalStateException if rotation is off, the session is anonymous, or the response is
   *     already committed
   * @throws dev.jwtsession.spi.StoreUnavailableException if the store cannot be reached or did not
   *     confirm the revocations; the cookies are kept then, so the user can try again
   */
  public void logoutEverywhere() {
    if (!bearerRequest) {
      requireUncommitted("logoutEverywhere");
    }
    String subject =
        claims
            .subject()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Session.logoutEverywhere() needs an authenticated session with a 'sub' claim"));
    engine.revokeAllSessions(subject);
    engine.logout(this);
  }

  /** Says whether authenticated, the family and the claim names; never a token or claim value. */
  @Override
  public String toString() {
    return authenticated
        ? "Session[authenticated"
            + (authMethod == AuthMethod.BEARER ? " by bearer" : "")
            + (reauthenticated ? ", reauthenticated" : "")
            + ", family="
            + claims.familyId().orElse("-")
            + ", "
            + claims
            + "]"
        : "Session[anonymous]";
  }

  // ---- engine side

  void authenticate(Claims accessClaims, boolean renewed) {
    this.claims = accessClaims;
    this.authenticated = true;
    this.reauthenticated = renewed;
    this.authMethod = bearerRequest ? AuthMethod.BEARER : AuthMethod.COOKIE;
  }

  /** This request carries {@code Authorization: Bearer}: its header alone decides. */
  void bearerRequest() {
    this.bearerRequest = true;
  }

  void carriedSessionCookie() {
    this.carriedSessionCookie = true;
  }

  /**
   * Whether this exchange involves session cookies at all: the request carried one, or this
   * response already sets one. A logout without either has nothing to clear.
   */
  boolean hasSessionCookies() {
    return carriedSessionCookie || accessWritten || refreshWritten;
  }

  void becomeAnonymous() {
    this.claims = Claims.empty();
    this.refreshClaims = null;
    this.authenticated = false;
    this.reauthenticated = false;
    this.authMethod = AuthMethod.NONE;
  }

  void refreshClaims(Claims verifiedRefreshClaims) {
    this.refreshClaims = verifiedRefreshClaims;
  }

  /** The family to revoke at logout: the access token's, else the verified refresh token's. */
  @Nullable String familyToRevoke() {
    String family = claims.familyId().orElse(null);
    return family != null || refreshClaims == null ? family : refreshClaims.familyId().orElse(null);
  }

  /** Writes one Set-Cookie for the token type, replacing an earlier one of this exchange. */
  void write(TokenType type, String cookieName, String setCookieHeader) {
    boolean written = type == TokenType.ACCESS ? accessWritten : refreshWritten;
    if (!accessWritten && !refreshWritten) {
      sink.preventCaching(); // a response with session cookies is never stored by any cache
    }
    if (written) {
      sink.replace(cookieName, setCookieHeader);
    } else {
      sink.add(setCookieHeader);
    }
    if (type == TokenType.ACCESS) {
      accessWritten = true;
    } else {
      refreshWritten = true;
    }
  }

  static JwtSession.Binding bind(Session session) {
    Session previous = CURRENT.get();
    CURRENT.set(session);
    return previous == null ? CURRENT::remove : () -> CURRENT.set(previous);
  }

  private void requireUncommitted(String method) {
    if (sink.isCommitted()) {
      throw new IllegalStateException(
          "Session."
              + method
              + "() was called after the response was "
              + "committed, so its cookies can no longer be sent; call it before writing the body (or "
              + "before the body outgrows the response buffer)");
    }
  }
}
