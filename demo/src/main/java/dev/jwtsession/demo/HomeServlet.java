package dev.jwtsession.demo;

import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;

/**
 * {@code GET /}: the session view, or the login form when anonymous. Also answers unknown paths.
 */
final class HomeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient Clock clock;

  HomeServlet(Clock clock) {
    this.clock = clock;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"/".equals(Responses.path(request))) {
      Responses.text(response, HttpServletResponse.SC_NOT_FOUND, "Not found");
      return;
    }
    Session session = JwtSessionFilter.session(request);
    String page =
        session.isAuthenticated() ? Pages.home(session, clock.instant()) : Pages.login("", null);
    Responses.html(response, HttpServletResponse.SC_OK, page);
  }
}
