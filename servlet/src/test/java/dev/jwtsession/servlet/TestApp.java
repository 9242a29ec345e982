package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.testkit.ContractRoutes;
import dev.jwtsession.testkit.ContractRoutes.Reply;
import dev.jwtsession.testkit.ServerUnderTest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The contract application of {@link dev.jwtsession.testkit.AdapterContract} on embedded Jetty
 * behind {@link JwtSessionFilter} (mapped for {@code REQUEST}, {@code ASYNC}, {@code ERROR}) on a
 * free loopback port. The store modules' multi-node tests run it too.
 */
public final class TestApp implements ServerUnderTest {

  private final Server server;
  private final int port;

  private TestApp(Server server) {
    this.server = server;
    this.port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Starts the app with the filter for {@code engine}. */
  public static TestApp start(JwtSession engine) throws Exception {
    return start(engine, context -> {});
  }

  /**
   * Starts the app with the filter for {@code engine} and {@code extra} servlets on the context.
   */
  public static TestApp start(JwtSession engine, Consumer<ServletContextHandler> extra)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    FilterHolder filter = new FilterHolder(new JwtSessionFilter(engine));
    filter.setAsyncSupported(true);
    context.addFilter(
        filter,
        "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    ContractServlet routes = new ContractServlet(ContractRoutes.of(engine));
    for (String path :
        new String[] {
          ContractRoutes.ME,
          ContractRoutes.LOGIN,
          ContractRoutes.LOGOUT,
          ContractRoutes.LOGOUT_ALL,
          ContractRoutes.LATE_LOGIN,
          ContractRoutes.COMMITTED_LOGIN,
          ContractRoutes.OWN_COOKIE_THEN_LOGOUT,
          ContractRoutes.CURRENT,
          ContractRoutes.FORM
        }) {
      context.addServlet(new ServletHolder(routes), path);
    }
    extra.accept(context);
    server.setHandler(context);
    server.start();
    return new TestApp(server);
  }

  @Override
  public URI baseUri() {
    return URI.create(url());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Every contract route: the servlet half of {@link ContractRoutes}. */
  static final class ContractServlet extends HttpServlet {

    private final transient ContractRoutes routes;

    ContractServlet(ContractRoutes routes) {
      this.routes = routes;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session session = JwtSessionFilter.session(request);
      response.setContentType(ContractRoutes.CONTENT_TYPE);
      switch (request.getServletPath()) {
        case ContractRoutes.ME -> answer(response, routes.me(session));
        case ContractRoutes.CURRENT -> answer(response, routes.current());
        case ContractRoutes.LATE_LOGIN -> {
          response.getWriter().write(ContractRoutes.LATE_LOGIN_BODY);
          routes.lateLogin(session);
        }
        case ContractRoutes.COMMITTED_LOGIN -> {
          response.getWriter().write(ContractRoutes.COMMITTED_BODY);
          response.flushBuffer();
          response.getWriter().write(routes.committedLogin(session));
        }
        default -> response.sendError(405);
      }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session session = JwtSessionFilter.session(request);
      response.setContentType(ContractRoutes.CONTENT_TYPE);
      switch (request.getServletPath()) {
        case ContractRoutes.LOGIN ->
            answer(response, routes.login(session, request.getParameter("sub")));
        case ContractRoutes.LOGOUT -> answer(response, routes.logout(session));
        case ContractRoutes.LOGOUT_ALL -> answer(response, routes.logoutAll(session));
        case ContractRoutes.FORM -> answer(response, routes.form());
        case ContractRoutes.OWN_COOKIE_THEN_LOGOUT -> {
          response.addHeader("Set-Cookie", ContractRoutes.OWN_COOKIE);
          answer(response, routes.ownCookieThenLogout(session));
        }
        default -> response.sendError(405);
      }
    }

    private static void answer(HttpServletResponse response, Reply reply) throws IOException {
      response.setStatus(reply.status());
      if (!reply.body().isEmpty()) {
        response.getWriter().write(reply.body());
      }
    }
  }
}
