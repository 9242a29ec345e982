package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real application for API clients behind {@link JwtSessionFilter} on a free loopback port, for
 * the token endpoint's tests (the bearer scenarios every adapter runs are in {@code
 * AdapterContract}): {@code POST /tokens?sub=x} (token login answered with {@link TokenResponses}),
 * {@code POST /token} ({@link TokenEndpointServlet}), {@code POST /revoke} ({@code refresh_token}
 * form parameter, {@code 200}).
 */
final class ApiTestApp implements AutoCloseable {

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
    String route = request.getMethod() + " " + request.getRequestURI();
    switch (route) {
      case "POST /tokens" -> {
        Map<String, Object> claims = Map.of("sub", request.getParameter("sub"));
        TokenResponses.write(response, engine.issueTokens(Payloads.of(claims, claims)));
      }
      case "POST /revoke" -> {
        engine.revokeRefreshToken(request.getParameter("refresh_token"));
        response.setStatus(200);
      }
      default -> response.setStatus(404);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
