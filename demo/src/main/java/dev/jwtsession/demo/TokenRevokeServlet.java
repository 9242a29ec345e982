package dev.jwtsession.demo;

import dev.jwtsession.JwtSession;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /api/token/revoke} with the form field {@code token} (RFC 7009; {@code refresh_token}
 * is accepted too): the API client's logout. Revokes the refresh token's login family and answers
 * {@code 200} whatever the token was, as RFC 7009 §2.2 says, so the answer tells a prober nothing.
 */
final class TokenRevokeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient JwtSession engine;

  TokenRevokeServlet(JwtSession engine) {
    this.engine = engine;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String token = request.getParameter("token");
    if (token == null) {
      token = request.getParameter("refresh_token");
    }
    if (token != null) {
      engine.revokeRefreshToken(token);
    }
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_OK);
  }
}
