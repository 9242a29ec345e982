package dev.jwtsession.demo;

import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import dev.jwtsession.spi.StoreUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /logout} (this login) and {@code POST /logout-all} (every login of the user): both
 * clear the cookies and redirect to {@code /}.
 */
final class LogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final boolean everywhere;

  LogoutServlet(boolean everywhere) {
    this.everywhere = everywhere;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Session session = JwtSessionFilter.session(request);
    if (!everywhere) {
      session.logout();
    } else if (session.isAuthenticated()) {
      try {
        session.logoutEverywhere();
      } catch (StoreUnavailableException e) {
        Responses.text(
            response,
            HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            "Sessions are temporarily unavailable, so other logins could not be ended. "
                + "Please try again in a moment.");
        return;
      }
    }
    Responses.seeOther(response, "/");
  }
}
