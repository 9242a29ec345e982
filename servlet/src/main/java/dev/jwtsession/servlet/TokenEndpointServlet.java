package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.spi.TokenEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The refresh endpoint for API clients (RFC 6749 §6): {@code POST} with {@code Content-Type:
 * application/x-www-form-urlencoded} and the body {@code
 * grant_type=refresh_token&refresh_token=...}. It renews through {@link JwtSession#refreshTokens},
 * the very path cookie renewal takes, so it is race-safe the same way: parallel refreshes with one
 * token share one renewal and all get the identical pair; with rotation on, a token used again
 * after the grace window revokes its family.
 *
 * <table>
 *   <caption>Answers (all JSON, all {@code Cache-Control: no-store})</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>{@code 200} {@code {"access_token","token_type":"Bearer","expires_in",
 *       "refresh_token"}}</td><td>renewed ({@link TokenResponses#write})</td></tr>
 *   <tr><td>{@code 400 {"error":"invalid_grant"}}</td><td>the refresh token is refused (invalid,
 *       expired, revoked, reused, or the {@code Reauth} said no): log in again</td></tr>
 *   <tr><td>{@code 400 {"error":"invalid_request"}}</td><td>another grant type, another content
 *       type, a missing or repeated parameter, a malformed body</td></tr>
 *   <tr><td>{@code 413}</td><td>a body over {@value #MAX_BODY_BYTES} bytes (not read
 *       further)</td></tr>
 *   <tr><td>{@code 503 {"error":"temporarily_unavailable"}}</td><td>the store is unreachable or
 *       the {@code Reauth} failed: retry with the same token</td></tr>
 *   <tr><td>{@code 405}</td><td>any method but {@code POST}</td></tr>
 * </table>
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new TokenEndpointServlet(engine)), "/api/token/refresh");
 * }</pre>
 */
public final class TokenEndpointServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The largest request body read, in bytes. */
  public static final int MAX_BODY_BYTES = TokenEndpoint.MAX_BODY_BYTES;

  private final transient TokenEndpoint endpoint;

  /** An endpoint renewing tokens of {@code engine}. */
  public TokenEndpointServlet(JwtSession engine) {
    this.endpoint = new TokenEndpoint(Objects.requireNonNull(engine, "engine"));
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    TokenEndpoint.Answer answer;
    if ("POST".equals(request.getMethod())) {
      try (InputStream body = request.getInputStream()) {
        answer =
            endpoint.handle("POST", request.getContentType(), request.getContentLengthLong(), body);
      }
    } else {
      answer = endpoint.handle(request.getMethod(), null, 0, InputStream.nullInputStream());
    }
    TokenResponses.send(response, answer);
  }
}
