package dev.jwtsession.servlet.quickstart;

// tag::imports[]
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

// end::imports[]

/**
 * The README's quickstart, compiled and run by {@code QuickstartAppTest} so the README cannot rot:
 * {@code ReadmeSnippetsTest} checks that every tagged region below appears in README.md verbatim.
 */
// spotless:off (laid out for the README, which shows these regions verbatim)
public final class QuickstartApp {

  private QuickstartApp() {}

  // tag::main[]
  /** Run with ACCESS_SECRET and REFRESH_SECRET set, e.g. to the output of `openssl rand -base64 32`. */
  public static void main(String[] args) throws Exception {
    start(8080, System.getenv("ACCESS_SECRET"), System.getenv("REFRESH_SECRET")).join();
  }
  // end::main[]

  // tag::start[]
  /** Starts the app on {@code port} (0 = any free port) and returns the running server. */
  public static Server start(int port, String accessSecret, String refreshSecret) throws Exception {
    JwtSession sessions = JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(1)).secret(accessSecret))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(refreshSecret))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .build();

    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new JwtSessionFilter(sessions)), "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    context.addServlet(new ServletHolder(new HomeServlet()), "/");
    context.addServlet(new ServletHolder(new LoginServlet()), "/login");
    context.addServlet(new ServletHolder(new LogoutServlet()), "/logout");
    Server server = new Server(port);
    server.setHandler(context);
    server.start();
    return server;
  }
  // end::start[]

  // tag::login[]
  /** POST /login: check the credentials your way, then log in. */
  public static final class LoginServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String user = request.getParameter("username");
      if (!"secret".equals(request.getParameter("password"))) { // use your user store here
        response.sendError(401);
        return;
      }
      Session.current().login(Payloads.of(
          Map.of("sub", user, "role", "admin"),   // access payload
          Map.of("sub", user, "role", "admin"))); // refresh payload
      response.sendRedirect("/");
    }
  }
  // end::login[]

  // tag::access[]
  /** GET /: read the session the filter resolved. */
  public static final class HomeServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session session = JwtSessionFilter.session(request); // or Session.current()
      response.setContentType("text/plain;charset=utf-8");
      if (session.isAuthenticated()) {
        response.getWriter().println("Hello " + session.subject().orElseThrow()
            + ", role " + session.claims().string("role").orElse("none")
            + (session.reauthenticated() ? " (silently re-authenticated)" : ""));
      } else {
        response.getWriter().println("Hello stranger: POST /login with username and password");
      }
    }
  }
  // end::access[]

  // tag::logout[]
  /** POST /logout: clear both cookies. */
  public static final class LogoutServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      Session.current().logout();
      response.sendRedirect("/");
    }
  }
  // end::logout[]
}
// spotless:on
