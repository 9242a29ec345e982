package dev.jwtsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios every jwt-session adapter passes over real HTTP, like {@code
 * RefreshTokenStoreContract} for stores. An adapter's test extends this class and implements {@link
 * #start}: start a real server on {@code 127.0.0.1}, port {@code 0}, with the adapter installed for
 * the given engine, serving these routes (the framework-neutral part of each is in {@link
 * ContractRoutes}; answer {@code text/plain}):
 *
 * <table>
 *   <caption>The contract routes</caption>
 *   <tr><th>route</th><th>behaviour</th></tr>
 *   <tr><td>{@code GET /me}</td>
 *       <td>{@code 200 sub=<sub>;reauth=<bool>;rot=<refreshCount>;sid=<familyId>} or {@code 401
 *       anonymous}</td></tr>
 *   <tr><td>{@code POST /login?sub=x}</td>
 *       <td>{@code session.login(Payloads.of({sub:x}, {sub:x}))}, {@code 204}</td></tr>
 *   <tr><td>{@code POST /logout}, {@code POST /logout-all}</td>
 *       <td>{@code logout()} / {@code logoutEverywhere()}, {@code 204}</td></tr>
 *   <tr><td>{@code GET /late-login}</td>
 *       <td>writes part of the body, then logs in (response not yet committed)</td></tr>
 *   <tr><td>{@code GET /committed-login}</td>
 *       <td>flushes the response, then tries to log in; the body says what happened</td></tr>
 *   <tr><td>{@code POST /own-cookie-then-logout}</td>
 *       <td>adds the application's own {@code Set-Cookie: theme=dark; Path=/}, logs in, then logs
 *       out in the same request, {@code 204}</td></tr>
 *   <tr><td>{@code GET /current}</td>
 *       <td>{@code Session.current()} read on the handler's thread: {@code bound sub=<sub>} /
 *       {@code bound anonymous}</td></tr>
 *   <tr><td>{@code POST /form}</td>
 *       <td>counts calls in the counter of {@link ContractRoutes#of(JwtSession)}; {@code 204} (the
 *       target of the CSRF cases)</td></tr>
 * </table>
 *
 * <p>Each test builds the engine it needs (cookies {@code app_session}/{@code app_refresh}, a
 * {@link MutableClock}, a {@link CapturingListener}), starts the server through {@link #start}, and
 * closes it afterwards. {@link SessionInvariants} checks every response after every test. A route
 * the application does not serve fails the test with a message naming it.
 *
 * <pre>{@code
 * class MyAdapterContractTest extends AdapterContract {
 *   @Override
 *   protected ServerUnderTest start(JwtSession engine) throws Exception {
 *     return MyTestApp.start(engine); // 127.0.0.1, port 0, the contract routes
 *   }
 * }
 * }</pre>
 */
@ExtendWith(SessionInvariants.class)
public abstract class AdapterContract {

  /** The access cookie's name in every contract engine. */
  protected static final String ACCESS_COOKIE = "app_session";

  /** The refresh cookie's name in every contract engine. */
  protected static final String REFRESH_COOKIE = "app_refresh";

  /** The access token lifetime in every contract engine. */
  protected static final Duration ACCESS_MAX_AGE = Duration.ofSeconds(60);

  /** The refresh token lifetime in every contract engine. */
  protected static final Duration REFRESH_MAX_AGE = Duration.ofDays(7);

  private static final Reauth RENEW_SAME_CLAIMS =
      refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));

  /** The clock of every engine this test builds. */
  protected final MutableClock clock = MutableClock.atFixedStart();

  /** The listener of every engine this test builds. */
  protected final CapturingListener listener = new CapturingListener();

  /** How often the engine called {@code Reauth} in this test. */
  protected final AtomicInteger reauthCalls = new AtomicInteger();

  /** What {@code Reauth} does now; tests switch it. */
  private final AtomicReference<Reauth> reauth = new AtomicReference<>(RENEW_SAME_CLAIMS);

  private ServerUnderTest server;
  private JwtSession engine;

  /**
   * Starts the application under test: a real server on {@code 127.0.0.1}, port {@code 0}, with the
   * adapter installed for {@code engine}, serving the contract routes (see the class Javadoc).
   */
  protected abstract ServerUnderTest start(JwtSession engine) throws Exception;

  // ---- helpers

  /**
   * The engine settings every scenario starts from: {@code app_session} (60 s) and {@code
   * app_refresh} (7 days), both {@code Secure}, {@code HttpOnly}, {@code SameSite=Lax}, {@code
   * Path=/}; a {@code Reauth} that renews with the same claims (switchable in the scenarios); the
   * test's clock and listener.
   */
  protected JwtSession.Builder engineBuilder() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName(ACCESS_COOKIE)
                    .maxAge(ACCESS_MAX_AGE)
                    .secret("adapter-contract-access-secret-32-bytes!!"))
        .refresh(
            t ->
                t.cookieName(REFRESH_COOKIE)
                    .maxAge(REFRESH_MAX_AGE)
                    .secret("adapter-contract-refresh-secret-32-bytes!"))
        .reauth(
            refresh -> {
              reauthCalls.incrementAndGet();
              return reauth.get().reauth(refresh);
            })
        .clock(clock)
        .listener(listener);
  }

  /** Builds the engine, starts the application for it, and returns a browser with an empty jar. */
  protected Browser serve(JwtSession.Builder builder) throws Exception {
    if (server != null) {
      throw new IllegalStateException("one application per test");
    }
    engine = SessionInvariants.watch(builder.build());
    server = start(engine);
    assertThat(server).as("start(engine) returned null").isNotNull();
    URI base = server.baseUri();
    assertThat(InetAddress.getByName(base.getHost()).isLoopbackAddress())
        .as("the application under test listens on loopback, not %s", base)
        .isTrue();
    return new Browser(base);
  }

  /** The default engine ({@link #engineBuilder()}), started. */
  protected Browser serve() throws Exception {
    return serve(engineBuilder());
  }

  /** The engine of the running application. */
  protected JwtSession engine() {
    return engine;
  }

  /** The base URI of the running application. */
  protected URI baseUri() {
    return server.baseUri();
  }

  /** Switches what {@code Reauth} does from now on. */
  protected void reauthWith(Reauth behaviour) {
    reauth.set(behaviour);
  }

  @AfterEach
  void stopServerUnderTest() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** {@code GET path} with the browser's cookies; fails naming the route if it is not served. */
  protected HttpResponse<String> get(Browser browser, String path) throws Exception {
    return served("GET", path, browser.get(path));
  }

  /** A bodiless {@code POST path}; fails naming the route if it is not served. */
  protected HttpResponse<String> post(Browser browser, String path) throws Exception {
    return served("POST", path, browser.post(path));
  }

  /** Sends a request built on the browser; fails naming the route if it is not served. */
  protected HttpResponse<String> send(
      Browser browser, String path, UnaryOperator<HttpRequest.Builder> request) throws Exception {
    HttpRequest built = request.apply(browser.request(path)).build();
    return served(built.method(), path, browser.send(built));
  }

  /** A {@code GET} carrying exactly this {@code Cookie} header (from an empty jar). */
  protected HttpResponse<String> getWithCookieHeader(String path, String cookieHeader)
      throws Exception {
    Browser stranger = new Browser(baseUri());
    return send(stranger, path, r -> r.header("Cookie", cookieHeader).GET());
  }

  private static HttpResponse<String> served(
      String method, String path, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 404 || status == 405) {
      String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      fail(
          "The application under test does not serve the contract route "
              + method
              + " "
              + route
              + " (it answered "
              + status
              + "): serve it as AdapterContract's Javadoc says, with ContractRoutes");
    }
    return response;
  }

  private static String bodyOf(HttpResponse<String> response) {
    return response.body() == null ? "" : response.body();
  }

  private static void assertClearing(List<String> setCookies, String... names) {
    assertThat(setCookies.stream().map(c -> c.substring(0, c.indexOf('='))).toList())
        .as("cookies cleared")
        .containsExactlyInAnyOrder(names);
    assertThat(setCookies)
        .allSatisfy(c -> assertThat(c).contains("=; ").contains("Max-Age=0").contains("Path=/"));
  }

  /** The token with the first character of its signature changed (all six bits of it count). */
  private static String tampered(String token) {
    int at = token.lastIndexOf('.') + 1;
    char changed = token.charAt(at) == 'A' ? 'B' : 'A';
    return token.substring(0, at) + changed + token.substring(at + 1);
  }

  private Browser loggedIn(String sub) throws Exception {
    Browser browser = new Browser(baseUri());
    assertThat(post(browser, "/login?sub=" + sub).statusCode()).isEqualTo(204);
    return browser;
  }

  private void expireAccess() {
    clock.advance(ACCESS_MAX_AGE.plus(JwtSession.DEFAULT_LEEWAY).plusSeconds(1));
  }

  // ---- 1. no cookie

  @Test
  void aRequestWithoutCookiesIsAnonymousAndGetsNoSetCookie() throws Exception {
    Browser browser = serve();

    HttpResponse<String> me = get(browser, "/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.body()).isEqualTo("anonymous");
    assertThat(Browser.setCookies(me)).isEmpty();
  }

  // ---- 2. login

  @Test
  void loginSetsBothCookiesWithTheConfiguredAttributesAndTheNextRequestsCarryNoSetCookie()
      throws Exception {
    Browser browser = serve();

    HttpResponse<String> login = post(browser, "/login?sub=alice");

    assertThat(login.statusCode()).isEqualTo(204);
    assertThat(Browser.setCookieNames(login))
        .containsExactlyInAnyOrder(ACCESS_COOKIE, REFRESH_COOKIE);
    for (String setCookie : Browser.setCookies(login)) {
      String maxAge =
          setCookie.startsWith(ACCESS_COOKIE + "=")
              ? "Max-Age=" + ACCESS_MAX_AGE.toSeconds()
              : "Max-Age=" + REFRESH_MAX_AGE.toSeconds();
      assertThat(setCookie)
          .doesNotStartWith(ACCESS_COOKIE + "=;")
          .doesNotStartWith(REFRESH_COOKIE + "=;")
          .contains("; " + maxAge + ";", "; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax");
    }
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> me = get(browser, "/me");
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.body()).startsWith("sub=alice;reauth=false;rot=0");
      assertThat(Browser.setCookies(me)).as("request %d after login", i + 1).isEmpty();
    }
    assertThat(listener.events()).containsExactly("loggedIn");
  }

  // ---- 3. renewal

  @Test
  void anExpiredAccessCookieWithAValidRefreshCookieIsRenewedInTheSameRequest() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    String oldAccess = browser.cookies().get(ACCESS_COOKIE);
    String oldRefresh = browser.cookies().get(REFRESH_COOKIE);
    expireAccess();

    HttpResponse<String> me = get(browser, "/me");

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).startsWith("sub=alice;reauth=true;");
    assertThat(Browser.setCookieNames(me)).containsExactlyInAnyOrder(ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(Browser.setCookies(me)).noneMatch(c -> c.contains("Max-Age=0"));
    assertThat(browser.cookies().get(ACCESS_COOKIE)).isNotEqualTo(oldAccess);
    assertThat(browser.cookies().get(REFRESH_COOKIE)).isNotEqualTo(oldRefresh);
    assertThat(reauthCalls).hasValue(1);

    HttpResponse<String> next = get(browser, "/me");
    assertThat(next.body()).startsWith("sub=alice;reauth=false;");
    assertThat(Browser.setCookies(next)).isEmpty();
  }

  // ---- 4. Reauth refuses or throws

  @Test
  void whenReauthRefusesTheRequestIsAnonymousAndBothCookiesAreCleared() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    expireAccess();
    reauthWith(refresh -> Optional.empty());

    HttpResponse<String> me = get(browser, "/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertClearing(Browser.setCookies(me), ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(browser.cookies()).isEmpty();
    assertThat(listener.events()).contains("reauthRefused");
  }

  @Test
  void whenReauthThrowsTheRequestIsAnonymousTheCookiesAreKeptAndTheStatusIsNot5xx()
      throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    expireAccess();
    reauthWith(
        refresh -> {
          throw new IllegalStateException("user directory down");
        });

    HttpResponse<String> me = get(browser, "/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.body()).isEqualTo("anonymous");
    assertThat(Browser.setCookieNames(me))
        .as("the refresh cookie is kept (only the expired access cookie may be cleared)")
        .doesNotContain(REFRESH_COOKIE);
    assertThat(browser.cookies()).containsKey(REFRESH_COOKIE);

    reauthWith(RENEW_SAME_CLAIMS);
    assertThat(get(browser, "/me").body())
        .as("the kept refresh cookie renews once Reauth works again")
        .startsWith("sub=alice;reauth=true;");
  }

  // ---- 5. tampered cookie

  @Test
  void aTamperedAccessCookieIsAnsweredAnonymousAndCleared() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    browser.cookies().remove(REFRESH_COOKIE);
    browser.cookies().put(ACCESS_COOKIE, tampered(browser.cookies().get(ACCESS_COOKIE)));

    HttpResponse<String> me = get(browser, "/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertClearing(Browser.setCookies(me), ACCESS_COOKIE);
    assertThat(listener.events()).contains("rejected:ACCESS:BAD_SIGNATURE");
  }

  // ---- 6. duplicate cookie

  @Test
  void theSameCookieNameTwiceWithDifferentValuesIsAnonymousClearedAndReportedAsDuplicate()
      throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    String token = browser.cookies().get(ACCESS_COOKIE);

    HttpResponse<String> me =
        getWithCookieHeader("/me", ACCESS_COOKIE + "=" + token + "; " + ACCESS_COOKIE + "=b");

    assertThat(me.statusCode()).isEqualTo(401);
    assertClearing(Browser.setCookies(me), ACCESS_COOKIE);
    assertThat(listener.events()).contains("rejected:ACCESS:DUPLICATE_COOKIE");
  }

  // ---- 7. oversized Cookie header

  @Test
  void aCookieHeaderLongerThanTheConfiguredMaximumIsAnonymousAndNever5xx() throws Exception {
    Browser browser = serve(engineBuilder().maxCookieHeaderLength(4096));
    post(browser, "/login?sub=alice");
    String valid = ACCESS_COOKIE + "=" + browser.cookies().get(ACCESS_COOKIE) + "; pad=";
    String header = valid + "x".repeat(6000 - valid.length());
    assertThat(header).hasSize(6000);

    HttpResponse<String> me = getWithCookieHeader("/me", header);

    assertThat(me.statusCode()).as("anonymous or the container's own 4xx").isBetween(400, 499);
    if (me.statusCode() == 401) {
      assertThat(me.body()).isEqualTo("anonymous");
      assertThat(listener.events()).contains("rejected:ACCESS:TOO_LARGE");
    }
  }

  // ---- 8. hostile Cookie headers

  @Test
  void threeHundredHostileCookieHeadersNeverAuthenticateNorAnswer5xx() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    List<String> hostile = HostileCookies.headers(browser.cookies().get(ACCESS_COOKIE), 300);
    assertThat(hostile).hasSize(300);

    for (String cookieHeader : hostile) {
      HttpResponse<String> me = getWithCookieHeader("/me", cookieHeader);
      assertThat(me.statusCode()).as(cookieHeader).isBetween(400, 499);
    }
  }

  // ---- 9. logout

  @Test
  void logoutClearsBothCookiesWithThePathTheyWereSetWith() throws Exception {
    Browser browser = serve();
    HttpResponse<String> login = post(browser, "/login?sub=alice");
    assertThat(Browser.setCookies(login)).allMatch(c -> c.contains("; Path=/;"));

    HttpResponse<String> logout = post(browser, "/logout");

    assertThat(logout.statusCode()).isEqualTo(204);
    assertClearing(Browser.setCookies(logout), ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(browser.cookies()).isEmpty();
    assertThat(get(browser, "/me").statusCode()).isEqualTo(401);
  }

  @Test
  void logoutFromARequestWithoutSessionCookiesWritesNoSetCookie() throws Exception {
    Browser browser = serve();

    HttpResponse<String> logout = post(browser, "/logout");

    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(Browser.setCookies(logout)).isEmpty();
  }

  @Test
  void theApplicationsOwnCookieIsKeptAndEachSessionCookieIsSetOnceWhenLoginAndLogoutShareARequest()
      throws Exception {
    Browser browser = serve();

    HttpResponse<String> response = post(browser, "/own-cookie-then-logout");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(Browser.setCookies(response)).contains(ContractRoutes.OWN_COOKIE);
    assertThat(Browser.setCookieNames(response))
        .containsExactlyInAnyOrder("theme", ACCESS_COOKIE, REFRESH_COOKIE);
    assertClearing(
        Browser.setCookies(response).stream().filter(c -> c.startsWith("app_")).toList(),
        ACCESS_COOKIE,
        REFRESH_COOKIE);
  }

  // ---- 10. login while writing the body, and after the commit

  @Test
  void loginAfterTheHandlerStartedWritingTheBodyStillSetsBothCookies() throws Exception {
    Browser browser = serve();

    HttpResponse<String> response = get(browser, "/late-login");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(ContractRoutes.LATE_LOGIN_BODY);
    assertThat(Browser.setCookieNames(response))
        .containsExactlyInAnyOrder(ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(get(browser, "/me").body()).startsWith("sub=late;");
  }

  @Test
  void loginAfterTheResponseWasCommittedIsRefusedWithAMessageNamingTheCommit() throws Exception {
    Browser browser = serve();

    HttpResponse<String> response = get(browser, "/committed-login");

    assertThat(response.statusCode()).isLessThan(500);
    assertThat(response.body())
        .startsWith(ContractRoutes.COMMITTED_BODY)
        .contains("refused: Session.login() was called after the response was committed");
    assertThat(Browser.setCookies(response)).isEmpty();
  }

  // ---- 11. Cross-origin protection (issue 11's rule: Fetch Metadata first, then Origin)
  //
  // For every method but GET/HEAD/OPTIONS/TRACE, whatever the Content-Type or its absence: if
  // Sec-Fetch-Site is present only same-origin or none pass; otherwise an Origin must be the
  // request's own (Origin: null never passes); with neither header the request passes (no browser).
  // Trusted origins and exempt paths pass either way. A refusal is 403 with a plain-text reason,
  // before the application and without touching any cookie.

  private HttpResponse<String> formPost(Browser browser, String... headers) throws Exception {
    return send(
        browser,
        "/form",
        r ->
            r.headers(headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")));
  }

  /**
   * A {@code POST /form} with a body and no {@code Content-Type}, as a no-cors Blob fetch sends.
   */
  private HttpResponse<String> untypedPost(Browser browser, String... headers) throws Exception {
    return send(
        browser,
        "/form",
        r ->
            (headers.length == 0 ? r : r.headers(headers))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
  }

  private long formCalls() {
    return ContractRoutes.of(engine).formCalls();
  }

  private String ownOrigin() {
    URI base = baseUri();
    return base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
  }

  @Test
  void aCrossSiteFormPostIsForbiddenBeforeTheApplicationAndTouchesNoCookie() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    expireAccess(); // an adapter that resolved before the check would renew the cookies here

    HttpResponse<String> response = formPost(browser, "Origin", "https://evil.example");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(bodyOf(response)).isEqualTo("Cross-origin POST requests are forbidden");
    assertThat(formCalls()).as("POST /form calls").isZero();
    assertThat(Browser.setCookies(response)).isEmpty();
    assertThat(reauthCalls).hasValue(0);
  }

  @Test
  void aCrossOriginPostWithoutContentTypeIsForbiddenAndTheSessionSurvives() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");

    HttpResponse<String> fetchMetadata = untypedPost(browser, "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> originOnly = untypedPost(browser, "Origin", "https://evil.example");

    assertThat(fetchMetadata.request().headers().firstValue("Content-Type")).isEmpty();
    assertThat(fetchMetadata.statusCode()).isEqualTo(403);
    assertThat(originOnly.statusCode()).isEqualTo(403);
    assertThat(formCalls()).isZero();
    assertThat(get(browser, ContractRoutes.ME).statusCode()).isEqualTo(200);
  }

  @Test
  void aCrossOriginJsonPostIsForbiddenToo() throws Exception {
    Browser browser = serve();

    HttpResponse<String> response =
        send(
            browser,
            "/form",
            r ->
                r.header("Origin", "https://evil.example")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(formCalls()).isZero();
  }

  @Test
  void everyMethodButGetHeadOptionsAndTraceIsChecked() throws Exception {
    Browser browser = serve();

    for (String method : new String[] {"PUT", "PATCH", "DELETE", "PROPFIND"}) {
      HttpResponse<String> response =
          browser.send(
              browser
                  .request("/form")
                  .header("Sec-Fetch-Site", "cross-site")
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(response.statusCode()).as(method).isEqualTo(403);
    }
    HttpResponse<String> get =
        browser.send(
            browser
                .request(ContractRoutes.ME)
                .header("Sec-Fetch-Site", "cross-site")
                .GET()
                .build());
    assertThat(get.statusCode()).as("GET").isNotEqualTo(403);
  }

  @Test
  void secFetchSiteDecidesFirstAndOnlySameOriginOrNonePass() throws Exception {
    Browser browser = serve();

    assertThat(
            formPost(browser, "Sec-Fetch-Site", "same-origin", "Origin", "https://evil.example")
                .statusCode())
        .isEqualTo(204);
    assertThat(formPost(browser, "Sec-Fetch-Site", "none").statusCode()).isEqualTo(204);
    assertThat(formPost(browser, "Sec-Fetch-Site", "same-site", "Origin", ownOrigin()).statusCode())
        .isEqualTo(403);
    assertThat(formPost(browser, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
    assertThat(formCalls()).isEqualTo(2);
  }

  @Test
  void aSameOriginFormPostReachesTheApplication() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");

    HttpResponse<String> response = formPost(browser, "Origin", ownOrigin());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(formCalls()).as("POST /form calls").isEqualTo(1);
  }

  @Test
  void aFormPostWithOriginNullIsForbidden() throws Exception {
    Browser browser = serve();

    HttpResponse<String> response = formPost(browser, "Origin", "null");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(formCalls()).isZero();
  }

  @Test
  void aPostWithNeitherOriginNorSecFetchSitePassesBecauseItIsNoBrowser() throws Exception {
    Browser browser = serve();

    HttpResponse<String> form =
        send(
            browser,
            "/form",
            r ->
                r.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")));
    HttpResponse<String> untyped = untypedPost(browser);

    assertThat(form.statusCode()).isEqualTo(204);
    assertThat(untyped.statusCode()).isEqualTo(204);
    assertThat(formCalls()).isEqualTo(2);
  }

  @Test
  void aPostFromATrustedOriginPassesEvenWhenSecFetchSiteSaysCrossSite() throws Exception {
    Browser browser = serve(engineBuilder().csrf(c -> c.trustedOrigins("https://app.example.com")));

    HttpResponse<String> trusted =
        formPost(browser, "Origin", "https://app.example.com", "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> other =
        formPost(browser, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");

    assertThat(trusted.statusCode()).isEqualTo(204);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(formCalls()).isEqualTo(1);
  }

  @Test
  void anExemptPathTakesCrossOriginPostsAndOtherPathsStillRefuseThem() throws Exception {
    Browser browser = serve(engineBuilder().csrf(c -> c.exemptPaths(ContractRoutes.FORM)));
    post(browser, "/login?sub=alice");

    HttpResponse<String> exempt = untypedPost(browser, "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> elsewhere =
        send(
            browser,
            ContractRoutes.LOGOUT,
            r ->
                r.header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(exempt.statusCode()).isEqualTo(204);
    assertThat(formCalls()).isEqualTo(1);
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(get(browser, ContractRoutes.ME).statusCode()).isEqualTo(200);
  }

  @Test
  void withTheCsrfCheckDisabledEveryCrossSitePostPasses() throws Exception {
    Browser browser = serve(engineBuilder().csrf(c -> c.enabled(false)));

    assertThat(formPost(browser, "Origin", "https://evil.example").statusCode()).isEqualTo(204);
    assertThat(formPost(browser, "Origin", "null").statusCode()).isEqualTo(204);
    assertThat(formPost(browser, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(204);
    assertThat(formCalls()).isEqualTo(3);
  }

  // ---- 12. Session.current() never leaks

  @Test
  void sessionCurrentNeverLeaksFromOneRequestToAnother() throws Exception {
    serve();
    int clients = 4;
    List<Browser> users = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      users.add(loggedIn("user" + i));
    }
    Browser anonymous = new Browser(baseUri());
    assertThat(get(anonymous, "/current").body()).isEqualTo("bound anonymous");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Browser user = users.get(i);
        String expected = "bound sub=user" + i;
        results.add(
            pool.submit(
                () -> {
                  List<String> mismatches = new ArrayList<>();
                  for (int n = 0; n < 50; n++) {
                    boolean authenticated = n % 2 == 0;
                    Browser who = authenticated ? user : anonymous;
                    HttpResponse<String> current =
                        who.sendWithoutApplying(who.request("/current").GET().build());
                    String want = authenticated ? expected : "bound anonymous";
                    if (current.statusCode() != 200 || !want.equals(current.body())) {
                      mismatches.add(
                          "expected '"
                              + want
                              + "', got "
                              + current.statusCode()
                              + " '"
                              + current.body()
                              + "'");
                    }
                  }
                  return mismatches;
                }));
      }
      List<String> mismatches = new ArrayList<>();
      for (Future<List<String>> result : results) {
        mismatches.addAll(result.get());
      }
      assertThat(mismatches).as("GET /current answers that do not match their request").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- 13. rotation

  private Browser serveWithRotation(InMemoryRefreshTokenStore store) throws Exception {
    return serve(
        engineBuilder()
            .rotation(
                r -> r.store(store).reuseGrace(Duration.ofSeconds(5)).checkAccessRevocation(true)));
  }

  @Test
  void fiftyConcurrentRequestsWithOneExpiredAccessCookieShareOneReauthAndOneSuccessorPair()
      throws Exception {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    Browser browser = serveWithRotation(store);
    post(browser, "/login?sub=alice");
    expireAccess();
    reauthWith(
        refresh -> {
          pause(); // a user lookup takes a moment, so concurrent requests overlap it
          return RENEW_SAME_CLAIMS.reauth(refresh);
        });

    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(browser.sendAsync(browser.request("/me").GET().build()));
    }

    Set<List<String>> successorPairs = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> future : futures) {
      HttpResponse<String> response = served("GET", "/me", future.join());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("sub=alice;reauth=true;rot=1;");
      List<String> pair =
          Browser.setCookies(response).stream()
              .map(c -> c.substring(0, c.indexOf(';')))
              .sorted()
              .toList();
      if (!pair.isEmpty()) {
        assertThat(pair).hasSize(2);
        successorPairs.add(pair);
      }
      browser.apply(response);
    }
    assertThat(successorPairs).hasSize(1);
    assertThat(reauthCalls).hasValue(1);
    assertThat(listener.count("reuseDetected")).isZero();
    assertThat(store.size()).isEqualTo(1);

    expireAccess(); // the store stayed consistent: the successor rotates normally
    assertThat(get(browser, "/me").body()).startsWith("sub=alice;reauth=true;rot=2;");
    assertThat(listener.count("reuseDetected")).isZero();
  }

  @Test
  void aReplayedRefreshTokenAfterTheGraceWindowEndsTheFamilyAndTheSuccessorIsRefusedToo()
      throws Exception {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    Browser browser = serveWithRotation(store);
    post(browser, "/login?sub=alice");
    String stolenRefresh = browser.cookies().get(REFRESH_COOKIE);
    expireAccess();
    assertThat(get(browser, "/me").body()).startsWith("sub=alice;reauth=true;rot=1;");
    // Rotation protocol v2 (issue 10): until its successor is used, a replayed token is
    // indistinguishable from a lost reply; the victim's next renewal uses the successor.
    expireAccess();
    assertThat(get(browser, "/me").body())
        .as("the successor is in use")
        .startsWith("sub=alice;reauth=true;rot=2;");

    clock.advance(Duration.ofSeconds(30)); // past the 5 s grace window
    Browser thief = new Browser(baseUri());
    thief.cookies().put(REFRESH_COOKIE, stolenRefresh);
    HttpResponse<String> replay = get(thief, "/me");

    assertThat(replay.statusCode()).isEqualTo(401);
    assertClearing(Browser.setCookies(replay), ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
    HttpResponse<String> victim = get(browser, "/me");
    assertThat(victim.statusCode())
        .as("the successor is refused too: the family is revoked")
        .isEqualTo(401);
  }

  @Test
  void logoutAllEndsTheUsersOtherLoginsAndNoOneElses() throws Exception {
    InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
    serveWithRotation(store);
    Browser laptop = loggedIn("alice");
    Browser phone = loggedIn("alice");
    Browser bob = loggedIn("bob");

    HttpResponse<String> response = post(laptop, "/logout-all");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(get(laptop, "/me").statusCode()).isEqualTo(401);
    assertThat(get(phone, "/me").statusCode()).isEqualTo(401);
    assertThat(get(bob, "/me").statusCode()).isEqualTo(200);
    expireAccess();
    assertThat(get(phone, "/me").statusCode())
        .as("the phone's refresh cookie is revoked")
        .isEqualTo(401);
    assertThat(get(bob, "/me").body()).startsWith("sub=bob;reauth=true;");
  }

  // ---- 15. Responses with session cookies are never cached

  @Test
  void everyResponseThatSetsASessionCookieIsNoStore() throws Exception {
    Browser browser = serve();

    HttpResponse<String> login = post(browser, "/login?sub=alice");
    HttpResponse<String> valid = get(browser, ContractRoutes.ME);
    expireAccess();
    HttpResponse<String> renewal = get(browser, ContractRoutes.ME);
    HttpResponse<String> logout = post(browser, ContractRoutes.LOGOUT);

    for (HttpResponse<String> response : List.of(login, renewal, logout)) {
      assertThat(Browser.setCookies(response)).as(response.request().uri().getPath()).isNotEmpty();
      assertThat(String.join(", ", response.headers().allValues("Cache-Control")))
          .as("Cache-Control of %s %s", response.request().method(), response.request().uri())
          .contains("no-store");
    }
    assertThat(Browser.setCookies(valid)).isEmpty();
  }

  // ---- 14. Cookie split over two headers

  @Test
  void cookiesSplitOverTwoCookieHeadersAreReadAsOneHeader() throws Exception {
    Browser browser = serve();
    post(browser, "/login?sub=alice");
    String token = browser.cookies().get(ACCESS_COOKIE);

    RawResponse second = rawGet("/me", "theme=dark", ACCESS_COOKIE + "=" + token);
    assertThat(second.status())
        .as("the session cookie in the second header is read")
        .isEqualTo(200);
    assertThat(second.body()).contains("sub=alice;");

    RawResponse both = rawGet("/me", ACCESS_COOKIE + "=" + token, ACCESS_COOKIE + "=b");
    assertThat(both.status())
        .as("a second value in the second header makes the cookie ambiguous")
        .isEqualTo(401);
    assertThat(listener.events()).contains("rejected:ACCESS:DUPLICATE_COOKIE");
  }

  /** One HTTP/1.1 exchange as read from a raw socket. */
  private record RawResponse(int status, List<String> setCookies, String body) {}

  /** A {@code GET} with one {@code Cookie} header per value, over a raw socket. */
  private RawResponse rawGet(String path, String... cookieHeaders) throws IOException {
    URI base = baseUri();
    StringBuilder request = new StringBuilder();
    request.append("GET ").append(path).append(" HTTP/1.1\r\n");
    request
        .append("Host: ")
        .append(base.getHost())
        .append(':')
        .append(base.getPort())
        .append("\r\n");
    for (String cookie : cookieHeaders) {
      request.append("Cookie: ").append(cookie).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      String text = bytes.toString(StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      assertThat(headEnd).as("a complete HTTP response head").isPositive();
      String[] lines = text.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      List<String> setCookies = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
          setCookies.add(lines[i].substring(11).trim());
        }
      }
      Browser.SEEN_SET_COOKIES.add(List.copyOf(setCookies));
      if (status == 404 || status == 405) {
        fail("The application under test does not serve the contract route GET " + path);
      }
      return new RawResponse(status, setCookies, text.substring(headEnd + 4));
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
