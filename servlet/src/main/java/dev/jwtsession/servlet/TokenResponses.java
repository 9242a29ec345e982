package dev.jwtsession.servlet;

import dev.jwtsession.TokenPair;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes token endpoint answers in the shape of OAuth 2.0 (RFC 6749 §5.1 and §5.2), so an
 * application's own credential-checking login endpoint answers exactly like {@link
 * TokenEndpointServlet}:
 *
 * <pre>{@code
 * {"access_token":"eyJ...","token_type":"Bearer","expires_in":900,"refresh_token":"eyJ..."}
 * }</pre>
 *
 * <p>Every answer carries {@code Cache-Control: no-store} and {@code Pragma: no-cache}: tokens must
 * not land in a cache.
 *
 * <pre>{@code
 * if (users.authenticate(name, password).isPresent()) {
 *   TokenResponses.write(response, engine.issueTokens(Payloads.of(claims, claims)));
 * }
 * }</pre>
 */
public final class TokenResponses {

  private TokenResponses() {}

  /**
   * Answers {@code 200} with the tokens as JSON: {@code access_token}, {@code token_type} {@code
   * "Bearer"}, {@code expires_in} (seconds) and {@code refresh_token} (left out when none was
   * issued).
   */
  public static void write(HttpServletResponse response, TokenPair tokens) throws IOException {
    StringBuilder json = new StringBuilder(1024);
    json.append("{\"access_token\":");
    string(json, tokens.accessToken());
    json.append(",\"token_type\":\"Bearer\",\"expires_in\":")
        .append(tokens.expiresIn().toSeconds());
    if (tokens.refreshToken().isPresent()) {
      json.append(",\"refresh_token\":");
      string(json, tokens.refreshToken().get());
    }
    json.append('}');
    send(response, HttpServletResponse.SC_OK, json.toString());
  }

  /**
   * Answers {@code status} with {@code {"error":"<code>"}}, e.g. {@code 400} {@code invalid_grant},
   * {@code 401} {@code invalid_client}.
   */
  public static void error(HttpServletResponse response, int status, String error)
      throws IOException {
    StringBuilder json = new StringBuilder("{\"error\":");
    string(json, error);
    send(response, status, json.append('}').toString());
  }

  private static void send(HttpServletResponse response, int status, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Pragma", "no-cache");
    response.setContentType("application/json;charset=UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** A JSON string; tokens are base64url and dots, escaping is for the error codes' sake. */
  private static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
