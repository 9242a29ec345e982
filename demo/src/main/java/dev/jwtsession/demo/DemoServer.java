package dev.jwtsession.demo;

import dev.jwtsession.JwtSession;
import dev.jwtsession.servlet.JwtSessionFilter;
import dev.jwtsession.servlet.TokenEndpointServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Wires the servlets and filters into an embedded Jetty bound to the loopback interface. */
final class DemoServer {

  /** Loopback only: the demo is for the machine it runs on. */
  static final String HOST = "127.0.0.1";

  /** The paths whose handlers use the session; nothing else runs the session filter. */
  static final Set<String> SESSION_PATHS =
      Set.of("/", "/login", "/logout", "/logout-all", "/api/me");

  private DemoServer() {}

  /** A configured, not yet started server. */
  static Server create(int port, JwtSession engine, Users users, Clock clock) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("jwt-session-demo");
    Server server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(HOST);
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    filter(context, new SecurityHeadersFilter());
    filter(context, new SessionPathsFilter(new JwtSessionFilter(engine), SESSION_PATHS));
    servlet(context, new HomeServlet(clock), "/");
    servlet(context, new LoginServlet(users), "/login");
    servlet(context, new LogoutServlet(false), "/logout");
    servlet(context, new LogoutServlet(true), "/logout-all");
    servlet(context, new MeServlet(), "/api/me");
    servlet(context, new TokenLoginServlet(users, engine), "/api/token");
    servlet(context, new TokenEndpointServlet(engine), "/api/token/refresh");
    servlet(context, new TokenRevokeServlet(engine), "/api/token/revoke");
    servlet(context, new HealthServlet(), "/health");
    servlet(context, new StaticServlet(), "/static/*");
    server.setHandler(context);
    server.setStopAtShutdown(false);
    return server;
  }

  private static void filter(ServletContextHandler context, Filter filter) {
    // ASYNC and ERROR too, as the README says: an error page or an async re-dispatch then sees the
    // request's Session (JwtSessionFilter binds it again without resolving a second time).
    context.addFilter(
        new FilterHolder(filter),
        "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
  }

  private static void servlet(ServletContextHandler context, HttpServlet servlet, String pattern) {
    context.addServlet(new ServletHolder(servlet), pattern);
  }
}
