package dev.jwtsession.testkit;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The framework-neutral part of every contract route of {@link AdapterContract}, so an adapter's
 * test application is a few lines per route: take the {@link Session} the adapter resolved, call
 * the method named after the route, and answer its {@link Reply} as {@code text/plain}.
 *
 * <p>Get the instance of an engine with {@link #of(JwtSession)}: the contract reads the {@code
 * /form} counter of the same instance.
 *
 * <pre>{@code
 * ContractRoutes routes = ContractRoutes.of(engine);
 * app.get(ContractRoutes.ME, ctx -> answer(ctx, routes.me(sessionOf(ctx))));
 * app.post(ContractRoutes.LOGIN, ctx -> answer(ctx, routes.login(sessionOf(ctx), ctx.queryParam("sub"))));
 * }</pre>
 *
 * <p>Three routes need the framework between two steps, so they come as constants plus a method:
 *
 * <ul>
 *   <li>{@code GET /late-login}: write {@link #LATE_LOGIN_BODY} to the body (status {@code 200},
 *       not flushed), then call {@link #lateLogin}.
 *   <li>{@code GET /committed-login}: write {@link #COMMITTED_BODY}, flush the response so it is
 *       committed, then write what {@link #committedLogin} returns.
 *   <li>{@code POST /own-cookie-then-logout}: add the header {@code Set-Cookie: }{@link
 *       #OWN_COOKIE}, then answer {@link #ownCookieThenLogout}.
 * </ul>
 */
public final class ContractRoutes {

  /** {@code GET}: {@link #me}. */
  public static final String ME = "/me";

  /** {@code POST}, query parameter {@code sub}: {@link #login}. */
  public static final String LOGIN = "/login";

  /** {@code POST}: {@link #logout}. */
  public static final String LOGOUT = "/logout";

  /** {@code POST}: {@link #logoutAll}. */
  public static final String LOGOUT_ALL = "/logout-all";

  /** {@code GET}: write {@link #LATE_LOGIN_BODY}, then {@link #lateLogin}. */
  public static final String LATE_LOGIN = "/late-login";

  /** {@code GET}: write {@link #COMMITTED_BODY}, flush, then write {@link #committedLogin}. */
  public static final String COMMITTED_LOGIN = "/committed-login";

  /** {@code POST}: add {@link #OWN_COOKIE}, then {@link #ownCookieThenLogout}. */
  public static final String OWN_COOKIE_THEN_LOGOUT = "/own-cookie-then-logout";

  /** {@code GET}: {@link #current}. */
  public static final String CURRENT = "/current";

  /** {@code POST}: {@link #form}. */
  public static final String FORM = "/form";

  /** The content type of every answer. */
  public static final String CONTENT_TYPE = "text/plain;charset=utf-8";

  /** What {@code /late-login} writes before it logs in. */
  public static final String LATE_LOGIN_BODY = "body written before login\n";

  /** What {@code /committed-login} writes and flushes before it tries to log in. */
  public static final String COMMITTED_BODY = "committed\n";

  /**
   * The application's own cookie {@code /own-cookie-then-logout} sets (a {@code Set-Cookie} value).
   */
  public static final String OWN_COOKIE = "theme=dark; Path=/";

  private static final Map<JwtSession, ContractRoutes> BY_ENGINE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final AtomicLong formCalls = new AtomicLong();

  private ContractRoutes() {}

  /** The routes of the application that runs {@code engine}; the same instance for each call. */
  public static ContractRoutes of(JwtSession engine) {
    Objects.requireNonNull(engine, "engine");
    return BY_ENGINE.computeIfAbsent(engine, e -> new ContractRoutes());
  }

  /** One answer: a status and a {@code text/plain} body ({@code 204} answers have none). */
  public record Reply(int status, String body) {

    /** {@code 204 No Content}. */
    public static Reply noContent() {
      return new Reply(204, "");
    }
  }

  /**
   * {@code GET /me}: {@code 200 sub=<sub>;reauth=<bool>;rot=<refreshCount>;sid=<familyId>} or
   * {@code 401 anonymous}.
   */
  public Reply me(Session session) {
    if (!session.isAuthenticated()) {
      return new Reply(401, "anonymous");
    }
    return new Reply(
        200,
        "sub="
            + session.subject().orElse("")
            + ";reauth="
            + session.reauthenticated()
            + ";rot="
            + session.refreshCount()
            + ";sid="
            + session.familyId().orElse(""));
  }

  /** {@code POST /login?sub=x}: logs {@code x} in (access and refresh payload {@code {sub:x}}). */
  public Reply login(Session session, String sub) {
    if (sub == null || sub.isEmpty()) {
      return new Reply(400, "POST /login needs the query parameter sub");
    }
    session.login(Payloads.of(Map.of("sub", sub), Map.of("sub", sub)));
    return Reply.noContent();
  }

  /** {@code POST /logout}. */
  public Reply logout(Session session) {
    session.logout();
    return Reply.noContent();
  }

  /** {@code POST /logout-all}: {@link Session#logoutEverywhere()}. */
  public Reply logoutAll(Session session) {
    session.logoutEverywhere();
    return Reply.noContent();
  }

  /** {@code GET /late-login}, after {@link #LATE_LOGIN_BODY} was written: logs {@code late} in. */
  public void lateLogin(Session session) {
    session.login(Payloads.of(Map.of("sub", "late"), Map.of("sub", "late")));
  }

  /**
   * {@code GET /committed-login}, after the response was committed: tries to log in and returns
   * what to write next, {@code login accepted} or {@code refused: <exception message>}.
   */
  public String committedLogin(Session session) {
    try {
      session.login(Payloads.accessOnly(Map.of("sub", "too-late")));
      return "login accepted";
    } catch (IllegalStateException e) {
      return "refused: " + e.getMessage();
    }
  }

  /**
   * {@code POST /own-cookie-then-logout}, after {@link #OWN_COOKIE} was added: logs in and out in
   * the same request.
   */
  public Reply ownCookieThenLogout(Session session) {
    session.login(Payloads.of(Map.of("sub", "x"), Map.of("sub", "x")));
    session.logout();
    return Reply.noContent();
  }

  /**
   * {@code GET /current}: reads {@link Session#currentIfBound()} on the calling thread (call it on
   * the handler's thread): {@code 200 bound sub=<sub>}, {@code 200 bound anonymous}, or {@code 500
   * unbound} when the adapter bound nothing.
   */
  public Reply current() {
    return Session.currentIfBound()
        .map(
            s ->
                new Reply(
                    200,
                    s.isAuthenticated()
                        ? "bound sub=" + s.subject().orElse("")
                        : "bound anonymous"))
        .orElseGet(() -> new Reply(500, "unbound"));
  }

  /** {@code POST /form}: counts the call ({@link #formCalls()}), {@code 204}. */
  public Reply form() {
    formCalls.incrementAndGet();
    return Reply.noContent();
  }

  /** How often {@code POST /form} reached the application. */
  public long formCalls() {
    return formCalls.get();
  }
}
