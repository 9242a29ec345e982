package dev.jwtsession.spi;

import dev.jwtsession.JwtSession;
import dev.jwtsession.RefreshResult;
import dev.jwtsession.TokenPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The framework-neutral refresh endpoint for API clients (RFC 6749 §6) that adapters translate to
 * their HTTP API: {@code POST} with {@code Content-Type: application/x-www-form-urlencoded} and the
 * body {@code grant_type=refresh_token&refresh_token=...}, renewed through {@link
 * JwtSession#refreshTokens} (single flight, identical successor within the grace window, reuse
 * detection).
 *
 * <p>Answers: {@code 200} {@code {"access_token","token_type":"Bearer","expires_in",
 * "refresh_token"}}; {@code 400 {"error":"invalid_grant"}} for a refused token; {@code 400
 * {"error":"invalid_request"}} for another grant type or content type, a missing or repeated
 * parameter or a malformed body; {@code 413} for a body over {@value #MAX_BODY_BYTES} bytes (not
 * read further); {@code 503 {"error":"temporarily_unavailable"}} when the store is down; {@code
 * 405} with {@code Allow: POST} for other methods. Every answer is JSON with {@code Cache-Control:
 * no-store} and {@code Pragma: no-cache}.
 */
public final class TokenEndpoint {

  /** The largest request body read, in bytes. */
  public static final int MAX_BODY_BYTES = 8 * 1024;

  private final JwtSession engine;

  /** An endpoint renewing tokens of {@code engine}. */
  public TokenEndpoint(JwtSession engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** An HTTP answer: status, headers (in order) and a JSON body. */
  public static final class Answer {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    private Answer(int status, String json) {
      this.status = status;
      this.body = json.getBytes(StandardCharsets.UTF_8);
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Cache-Control", "no-store");
      h.put("Pragma", "no-cache");
      h.put("Content-Type", "application/json;charset=UTF-8");
      if (status == 405) {
        h.put("Allow", "POST");
      }
      this.headers = Map.copyOf(h);
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }

    /** The response headers to set. */
    public Map<String, String> headers() {
      return headers;
    }

    /** The UTF-8 JSON body (a copy). */
    public byte[] body() {
      return body.clone();
    }

    /** Prints the status only: a body may hold tokens. */
    @Override
    public String toString() {
      return "TokenEndpoint.Answer[status=" + status + "]";
    }
  }

  /**
   * The answer to one request. {@code contentLength} is {@code -1} when unknown; {@code body} is
   * read up to {@value #MAX_BODY_BYTES} bytes and only for a {@code POST} of a form.
   */
  public Answer handle(
      String method, @Nullable String contentType, long contentLength, InputStream body)
      throws IOException {
    if (!"POST".equals(method)) {
      return error(405, "invalid_request");
    }
    if (!isForm(contentType)) {
      return error(400, "invalid_request");
    }
    byte[] bytes = contentLength > MAX_BODY_BYTES ? null : read(body);
    if (bytes == null) {
      return error(413, "invalid_request");
    }
    Map<String, String> parameters = parameters(new String(bytes, StandardCharsets.UTF_8));
    String token = parameters == null ? null : parameters.get("refresh_token");
    if (parameters == null
        || !"refresh_token".equals(parameters.get("grant_type"))
        || token == null
        || token.isEmpty()) {
      return error(400, "invalid_request");
    }
    RefreshResult result = engine.refreshTokens(token);
    return switch (result.outcome()) {
      case RENEWED -> tokens(result.tokens().orElseThrow());
      case REFUSED -> error(400, "invalid_grant");
      case UNAVAILABLE -> error(503, "temporarily_unavailable");
    };
  }

  /**
   * {@code 200} with the tokens as JSON: {@code access_token}, {@code token_type} {@code "Bearer"},
   * {@code expires_in} (seconds) and {@code refresh_token} (left out when none was issued).
   */
  public static Answer tokens(TokenPair tokens) {
    StringBuilder json = new StringBuilder(1024);
    json.append("{\"access_token\":");
    string(json, tokens.accessToken());
    json.append(",\"token_type\":\"Bearer\",\"expires_in\":")
        .append(tokens.expiresIn().toSeconds());
    if (tokens.refreshToken().isPresent()) {
      json.append(",\"refresh_token\":");
      string(json, tokens.refreshToken().get());
    }
    return new Answer(200, json.append('}').toString());
  }

  /** {@code status} with {@code {"error":"<code>"}}. */
  public static Answer error(int status, String error) {
    StringBuilder json = new StringBuilder("{\"error\":");
    string(json, error);
    return new Answer(status, json.append('}').toString());
  }

  private static boolean isForm(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded");
  }

  /** The body, or {@code null} when it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte @Nullable [] read(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[2048];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      body.write(buffer, 0, read);
      if (body.size() > MAX_BODY_BYTES) {
        return null; // chunked and too long: stop reading here
      }
    }
    return body.toByteArray();
  }

  /**
   * The form parameters, or {@code null} when one is repeated (RFC 6749 §3.2) or the encoding is
   * broken.
   */
  private static @Nullable Map<String, String> parameters(String body) {
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
