package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real application for API clients behind {@link JwtSessionFilter} on a free loopback port, for
 * the token endpoint's own tests (the bearer scenarios every adapter runs are in {@code
 * AdapterContract}): {@code GET /me} ({@code 200 sub=<sub>;via=<authMethod>} or {@code 401
 * anonymous}), {@code POST /login?sub=x} (cookie login), {@code POST /tokens?sub=x} (token login
 * answered with {@link TokenResponses}), {@code POST /token} ({@link TokenEndpointServlet}), {@code
 * POST /revoke} ({@code refresh_token} form parameter, {@code 200}), {@code POST /form} (counts
 * calls, {@code 204}).
 */
final class ApiTestApp implements AutoCloseable {

  final AtomicInteger formCalls = new AtomicInteger();
  private final Server server;
  private final int port;

  private ApiTestApp(JwtSession engine) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new JwtSessionFilter(engine)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new TokenEndpointServlet(engine)), "/token");
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void service(HttpServletRequest request, HttpServletResponse response)
                  throws IOException {
                route(engine, request, response);
              }
            }),
        "/");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  static ApiTestApp start(JwtSession engine) throws Exception {
    return new ApiTestApp(engine);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private void route(JwtSession engine, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Session session = JwtSessionFilter.session(request);
    String route = request.getMethod() + " " + request.getRequestURI();
    String sub = request.getParameter("sub");
    switch (route) {
      case "GET /me" -> {
        response.setContentType("text/plain;charset=utf-8");
        if (session.isAuthenticated()) {
          response
              .getWriter()
              .write("sub=" + session.subject().orElse("") + ";via=" + session.authMethod());
        } else {
          response.setStatus(401);
          response.getWriter().write("anonymous");
        }
      }
      case "POST /login" -> {
        session.login(Payloads.of(Map.of("sub", sub), Map.of("sub", sub)));
        response.setStatus(204);
      }
      case "POST /tokens" ->
          TokenResponses.write(
              response, engine.issueTokens(Payloads.of(Map.of("sub", sub), Map.of("sub", sub))));
      case "POST /revoke" -> {
        engine.revokeRefreshToken(request.getParameter("refresh_token"));
        response.setStatus(200);
      }
      case "POST /form" -> {
        formCalls.incrementAndGet();
        response.setStatus(204);
      }
      default -> response.setStatus(404);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
