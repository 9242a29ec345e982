package dev.jwtsession.demo;

import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import dev.jwtsession.spi.StoreUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /login}: checks the form's user name and password; on success logs in and redirects
 * to {@code /}, otherwise answers {@code 401} with the form and an error, and sets no cookie.
 */
final class LoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  static final String WRONG_CREDENTIALS = "Wrong user name or password.";
  static final String STORE_UNAVAILABLE =
      "Sessions are temporarily unavailable. Please try again in a moment.";

  private final transient Users users;

  LoginServlet(Users users) {
    this.users = users;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String username = request.getParameter("username");
    Optional<User> user = users.authenticate(username, request.getParameter("password"));
    if (user.isEmpty()) {
      Responses.html(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          Pages.login(username == null ? "" : username, WRONG_CREDENTIALS));
      return;
    }
    Session session = JwtSessionFilter.session(request);
    try {
      // Signing in over an existing login ends that login's family: login() itself revokes it.
      session.login(Payloads.of(user.get().claims(), user.get().claims()));
    } catch (StoreUnavailableException e) {
      // The store (Redis) cannot register the login: say so instead of failing with a 500.
      Responses.html(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          Pages.login(username, STORE_UNAVAILABLE));
      return;
    }
    Responses.seeOther(response, "/");
  }
}
