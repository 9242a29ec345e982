package dev.jwtsession.servlet;

import dev.jwtsession.TokenPair;
import dev.jwtsession.spi.TokenEndpoint;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

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
    send(response, TokenEndpoint.tokens(tokens));
  }

  /**
   * Answers {@code status} with {@code {"error":"<code>"}}, e.g. {@code 400} {@code invalid_grant},
   * {@code 401} {@code invalid_client}.
   */
  public static void error(HttpServletResponse response, int status, String error)
      throws IOException {
    send(response, TokenEndpoint.error(status, error));
  }

  static void send(HttpServletResponse response, TokenEndpoint.Answer answer) throws IOException {
    byte[] body = answer.body();
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
