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
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small real application behind {@link JwtSessionFilter} on a free loopback port: {@code GET /me}
 * answers {@code 200 sub=..;reauth=..;rot=..} or {@code 401 anonymous}; {@code POST /login?sub=x},
 * {@code POST /logout}, {@code POST /logout-all} act on the session; {@code GET /late-login} writes
 * body first, then logs in; {@code GET /committed-login} flushes the response, then tries to log in
 * and reports what happened.
 */
public final class TestApp implements AutoCloseable {

  private final Server server;
  private final int port;

  private TestApp(Server server) {
    this.server = server;
    this.port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Starts the app with the filter for {@code engine}. */
  public static TestApp start(JwtSession engine) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new JwtSessionFilter(engine)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Me()), "/me");
    context.addServlet(new ServletHolder(new Login()), "/login");
    context.addServlet(new ServletHolder(new Logout()), "/logout");
    context.addServlet(new ServletHolder(new LogoutAll()), "/logout-all");
    context.addServlet(new ServletHolder(new LateLogin()), "/late-login");
    context.addServlet(new ServletHolder(new CommittedLogin()), "/committed-login");
    context.addServlet(new ServletHolder(new OwnCookieThenLogout()), "/own-cookie-then-logout");
    context.addServlet(new ServletHolder(new PublicPage()), "/public-page");
    server.setHandler(context);
    server.start();
    return new TestApp(server);
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

  static final class Me extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session session = JwtSessionFilter.session(request);
      response.setContentType("text/plain;charset=utf-8");
      if (!session.isAuthenticated()) {
        response.setStatus(401);
        response.getWriter().write("anonymous");
        return;
      }
      response
          .getWriter()
          .write(
              "sub="
                  + session.subject().orElse("")
                  + ";reauth="
                  + session.reauthenticated()
                  + ";rot="
                  + session.refreshCount()
                  + ";sid="
                  + session.familyId().orElse(""));
    }
  }

  static final class Login extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      String subject = request.getParameter("sub");
      Session.current().login(Payloads.of(Map.of("sub", subject), Map.of("sub", subject)));
      response.setStatus(204);
    }
  }

  static final class Logout extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      JwtSessionFilter.session(request).logout();
      response.setStatus(204);
    }
  }

  static final class LogoutAll extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      JwtSessionFilter.session(request).logoutEverywhere();
      response.setStatus(204);
    }
  }

  static final class LateLogin extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write("body written before login\n");
      Session.current().login(Payloads.of(Map.of("sub", "late"), Map.of("sub", "late")));
    }
  }

  static final class CommittedLogin extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().write("committed\n");
      response.flushBuffer();
      try {
        Session.current().login(Payloads.accessOnly(Map.of("sub", "too-late")));
        response.getWriter().write("login accepted");
      } catch (IllegalStateException e) {
        response.getWriter().write("refused: " + e.getMessage());
      }
    }
  }

  static final class OwnCookieThenLogout extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      response.addHeader("Set-Cookie", "theme=dark; Path=/");
      Session session = JwtSessionFilter.session(request);
      session.login(Payloads.of(Map.of("sub", "x"), Map.of("sub", "x")));
      session.logout();
      response.setStatus(204);
    }
  }

  /**
   * A page the application marks for shared caching: {@code GET} just sets the caching headers,
   * {@code POST ?sub=x} first logs in and then sets them (both ways the Servlet API allows).
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
      Session.current().login(Payloads.of(Map.of("sub", subject), Map.of("sub", subject)));
      doGet(request, response);
    }
  }
}
