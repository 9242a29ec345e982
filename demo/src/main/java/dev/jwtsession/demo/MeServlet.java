package dev.jwtsession.demo;

import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/me}: {@code 200
 * {"authenticated":true,"reauthenticated":...,"via":"cookie"|"bearer", "claims":{...}}}, or {@code
 * 401 {"authenticated":false}}. Browsers come with the session cookies, API clients with {@code
 * Authorization: Bearer} (tokens from {@code POST /api/token}).
 */
final class MeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Session session = JwtSessionFilter.session(request);
    if (!session.isAuthenticated()) {
      Responses.json(response, HttpServletResponse.SC_UNAUTHORIZED, Map.of("authenticated", false));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("authenticated", true);
    body.put("reauthenticated", session.reauthenticated());
    body.put("via", session.authMethod().name().toLowerCase(java.util.Locale.ROOT));
    body.put("claims", session.claims().asMap());
    Responses.json(response, HttpServletResponse.SC_OK, body);
  }
}
