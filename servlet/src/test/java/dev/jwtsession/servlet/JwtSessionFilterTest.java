package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import dev.jwtsession.testkit.SessionInvariants;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the servlet filter does, on embedded Jetty: ERROR and ASYNC re-dispatches, an unmapped
 * path, the plain-text refusal. The behaviour every adapter shares is in {@link
 * JettyServletContractTest}.
 */
@ExtendWith(SessionInvariants.class)
class JwtSessionFilterTest {

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  AutoCloseable app;

  JwtSession engine() {
    return engine(b -> {});
  }

  JwtSession engine(java.util.function.Consumer<JwtSession.Builder> extras) {
    JwtSession.Builder builder =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secure(false)
                        .secret("servlet-test-access-secret-32-bytes-long!"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secure(false)
                        .secret("servlet-test-refresh-secret-32-bytes-long"))
            .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
            .clock(clock)
            .listener(listener);
    extras.accept(builder);
    return SessionInvariants.watch(builder.build());
  }

  /** The contract app plus {@code /fail} (sendError 500), its error page, and {@code /async}. */
  Browser start() throws Exception {
    return start(engine());
  }

  Browser start(JwtSession engine) throws Exception {
    TestApp testApp =
        TestApp.start(
            engine,
            context -> {
              context.addServlet(new ServletHolder(new PublicPage()), "/public-page");
              context.addServlet(new ServletHolder(new PublicPage()), "/hooks/public-page");
              context.addServlet(new ServletHolder(new Fail()), "/fail");
              context.addServlet(new ServletHolder(new LoginThenFail()), "/login-then-fail");
              context.addServlet(new ServletHolder(new ErrorPage()), "/error-page");
              ServletHolder async = new ServletHolder(new AsyncTwice());
              async.setAsyncSupported(true);
              context.addServlet(async, "/async");
              ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
              errors.addErrorPage(500, "/error-page");
              context.setErrorHandler(errors);
            });
    app = testApp;
    return new Browser(testApp.baseUri());
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void theErrorPageOfASendErrorSeesTheAuthenticatedSession() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");

    HttpResponse<String> response = browser.get("/fail");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("error page: bound sub=alice, same as the request's");
    assertThat(Browser.setCookies(response)).isEmpty();
  }

  @Test
  void aRequestThatReauthenticatedAndThenErrorDispatchedCarriesOneSetCookiePerName()
      throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> response = browser.get("/fail");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("error page: bound sub=alice, same as the request's");
    assertThat(Browser.setCookieNames(response))
        .containsExactlyInAnyOrder("app_session", "app_refresh");
    assertThat(listener.count("reauthenticated")).isEqualTo(1);
    assertThat(browser.get("/me").body()).startsWith("sub=alice;reauth=false;");
  }

  @Test
  void anAsyncServletSeesTheSameSessionInBothDispatches() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> response = browser.get("/async");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ASYNC dispatch: same session as REQUEST, sub=alice");
    assertThat(Browser.setCookieNames(response))
        .as("renewed once, not again in the ASYNC dispatch")
        .containsExactlyInAnyOrder("app_session", "app_refresh");
    assertThat(listener.count("reauthenticated")).isEqualTo(1);
  }

  @Test
  void aPathTheFilterIsNotMappedToGetsTheClearIllegalStateException() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new JwtSessionFilter(engine())),
        "/app/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    context.addServlet(new ServletHolder(new SessionOrMessage()), "/*");
    server.setHandler(context);
    server.start();
    app = server::stop;
    Browser browser = new Browser("http://127.0.0.1:" + connector.getLocalPort());

    HttpResponse<String> mapped = browser.get("/app/x");
    HttpResponse<String> unmapped = browser.get("/other/x");

    assertThat(mapped.body()).isEqualTo("session: anonymous");
    assertThat(unmapped.body())
        .startsWith("IllegalStateException: No jwt-session Session on this request")
        .contains("map JwtSessionFilter to this path")
        .contains("DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR");
  }

  @Test
  void aForbiddenCrossSiteFormIsAnsweredWithAPlainTextReason() throws Exception {
    Browser browser = start();

    HttpResponse<String> response =
        browser.send(
            browser
                .request("/form")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x--"))
                .build());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).isEqualTo("Cross-origin POST requests are forbidden");
  }

  @Test
  void exemptPathsAreMatchedOnTheServletPathAsTheContainerRoutesIt() throws Exception {
    Browser browser = start(engine(b -> b.csrf(c -> c.exemptPaths("/hooks/*"))));

    HttpResponse<String> exempt =
        browser.send(
            browser
                .request("/hooks/public-page")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    HttpResponse<String> elsewhere =
        browser.send(
            browser
                .request("/form")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    HttpResponse<String> dotted =
        browser.send(
            browser
                .request("/hooks/%2e%2e/form")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(exempt.statusCode()).isEqualTo(200);
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(dotted.statusCode()).isNotEqualTo(200).isNotEqualTo(204);
  }

  @Test
  void anErrorPageRenderingALoginResponseCannotMakeItCacheable() throws Exception {
    Browser browser = start();

    HttpResponse<String> response = browser.get("/login-then-fail");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).startsWith("error page: bound sub=e");
    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void loginResponseIsNoStoreEvenWhenTheHandlerSetsPublicCachingAfterwards() throws Exception {
    Browser browser = start();

    HttpResponse<String> response = browser.post("/public-page?sub=alice");

    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().allValues("CDN-Cache-Control")).containsExactly("no-store");
  }

  @Test
  void renewalResponseIsNoStoreEvenWhenTheHandlerSetsPublicCaching() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    clock.advance(Duration.ofMinutes(2));

    HttpResponse<String> response = browser.get("/public-page");

    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void responseWithoutSessionCookieKeepsTheApplicationsCachingHeaders() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");

    HttpResponse<String> response = browser.get("/public-page");

    assertThat(Browser.setCookies(response)).isEmpty();
    assertThat(String.join(", ", response.headers().allValues("Cache-Control")))
        .contains("public, max-age=60");
  }

  /**
   * A page the application marks for shared caching: {@code GET} sets the caching headers (both
   * ways the Servlet API allows, and a CDN-targeted one); {@code POST ?sub=x} first logs in.
   */
  static final class PublicPage extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setHeader("Cache-Control", "public, max-age=60");
      response.addHeader("Cache-Control", "s-maxage=600");
      response.setHeader("CDN-Cache-Control", "max-age=600");
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write("public page");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String subject = request.getParameter("sub");
      if (subject != null) {
        Session.current()
            .login(Payloads.of(java.util.Map.of("sub", subject), java.util.Map.of("sub", subject)));
      }
      doGet(request, response);
    }
  }

  /** Fails the request with {@code sendError(500)} after remembering its session. */
  static final class Fail extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.setAttribute("firstDispatchSession", Session.current());
      response.sendError(500);
    }
  }

  /** Logs in, then fails with {@code sendError(500)}: the error page renders the response. */
  static final class LoginThenFail extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session.current()
          .login(Payloads.of(java.util.Map.of("sub", "e"), java.util.Map.of("sub", "e")));
      response.sendError(500);
    }
  }

  /**
   * The error page: what {@code Session.current()} is in the ERROR dispatch. It marks itself for
   * shared caching, as a static error page might.
   */
  static final class ErrorPage extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setHeader("Cache-Control", "public, max-age=60");
      response.setContentType("text/plain;charset=utf-8");
      Optional<Session> session = Session.currentIfBound();
      response
          .getWriter()
          .write(
              "error page: "
                  + session
                      .map(
                          s ->
                              "bound sub="
                                  + s.subject().orElse("-")
                                  + (s == request.getAttribute("firstDispatchSession")
                                      ? ", same as the request's"
                                      : ", another session"))
                      .orElse("unbound"));
    }
  }

  /**
   * Starts async and dispatches once; the ASYNC dispatch reports whether the session is the same.
   */
  static final class AsyncTwice extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getDispatcherType() == DispatcherType.REQUEST) {
        request.setAttribute("firstDispatchSession", Session.current());
        AsyncContext async = request.startAsync();
        async.dispatch();
        return;
      }
      Session session = Session.current();
      response.setContentType("text/plain;charset=utf-8");
      response
          .getWriter()
          .write(
              request.getDispatcherType()
                  + " dispatch: "
                  + (session == request.getAttribute("firstDispatchSession")
                      ? "same session as REQUEST"
                      : "another session")
                  + ", sub="
                  + session.subject().orElse("-"));
    }
  }

  /** Reports {@code JwtSessionFilter.session(request)} or the exception it throws. */
  static final class SessionOrMessage extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      try {
        Session session = JwtSessionFilter.session(request);
        response
            .getWriter()
            .write("session: " + (session.isAuthenticated() ? "authenticated" : "anonymous"));
      } catch (IllegalStateException e) {
        response.getWriter().write("IllegalStateException: " + e.getMessage());
      }
    }
  }
}
