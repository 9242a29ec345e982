package dev.jwtsession.servlet;

import dev.jwtsession.JwtSession;
import dev.jwtsession.RefreshResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
  public static final int MAX_BODY_BYTES = 8 * 1024;

  private final transient JwtSession engine;

  /** An endpoint renewing tokens of {@code engine}. */
  public TokenEndpointServlet(JwtSession engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      TokenResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "invalid_request");
      return;
    }
    if (!isForm(request.getContentType())) {
      TokenResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request");
      return;
    }
    byte[] body = readBody(request);
    if (body == null) {
      TokenResponses.error(response, 413, "invalid_request");
      return;
    }
    Map<String, String> parameters = parameters(new String(body, StandardCharsets.UTF_8));
    if (parameters == null
        || !"refresh_token".equals(parameters.get("grant_type"))
        || parameters.getOrDefault("refresh_token", "").isEmpty()) {
      TokenResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request");
      return;
    }
    RefreshResult result = engine.refreshTokens(parameters.get("refresh_token"));
    switch (result.outcome()) {
      case RENEWED -> TokenResponses.write(response, result.tokens().orElseThrow());
      case REFUSED ->
          TokenResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_grant");
      case UNAVAILABLE ->
          TokenResponses.error(
              response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable");
    }
  }

  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded");
  }

  /** The body, or {@code null} when it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      return null;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[2048];
    try (InputStream in = request.getInputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        body.write(buffer, 0, read);
        if (body.size() > MAX_BODY_BYTES) {
          return null; // chunked and too long: stop reading here
        }
      }
    }
    return body.toByteArray();
  }

  /**
   * The form parameters, or {@code null} when one is repeated (RFC 6749 §3.2: parameters must not
   * be included more than once) or the encoding is broken.
   */
  private static Map<String, String> parameters(String body) {
    Map<String, String> parameters = new HashMap<>();
    for (String pair : body.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        name = URLDecoder.decode(name, StandardCharsets.UTF_8);
        value = URLDecoder.decode(value, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (parameters.put(name, value) != null) {
        return null;
      }
    }
    return parameters;
  }
}
