package dev.jwtsession.demo;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.servlet.TokenResponses;
import dev.jwtsession.spi.StoreUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/token} with the form fields {@code username} and {@code password}: the API
 * client's login. On success {@code 200} with the tokens as OAuth JSON ({@link TokenResponses});
 * wrong credentials {@code 400 {"error":"invalid_grant"}}; store down {@code 503}. No cookie is
 * set.
 */
final class TokenLoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient Users users;
  private final transient JwtSession engine;

  TokenLoginServlet(Users users, JwtSession engine) {
    this.users = users;
    this.engine = engine;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    Optional<User> user =
        users.authenticate(request.getParameter("username"), request.getParameter("password"));
    if (user.isEmpty()) {
      TokenResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_grant");
      return;
    }
    try {
      TokenResponses.write(
          response, engine.issueTokens(Payloads.of(user.get().claims(), user.get().claims())));
    } catch (StoreUnavailableException e) {
      TokenResponses.error(
          response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable");
    }
  }
}
