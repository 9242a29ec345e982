package dev.jwtsession.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jwtsession.JwtSession;
import dev.jwtsession.TokenPair;
import dev.jwtsession.spi.TokenEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The refresh endpoint for API clients on the JDK's {@code HttpServer}, with the behaviour of the
 * servlet module's {@code TokenEndpointServlet} ({@link TokenEndpoint}: {@code 200} tokens JSON,
 * {@code 400 invalid_grant} / {@code invalid_request}, {@code 413} over 8 KB, {@code 503} store
 * down, {@code 405} for other methods, always {@code Cache-Control: no-store}):
 *
 * <pre>{@code
 * server.createContext("/api/token/refresh", new TokenEndpointHandler(engine));
 * }</pre>
 */
public final class TokenEndpointHandler implements HttpHandler {

  private final TokenEndpoint endpoint;

  /** An endpoint renewing tokens of {@code engine}. */
  public TokenEndpointHandler(JwtSession engine) {
    this.endpoint = new TokenEndpoint(engine);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      long contentLength = -1;
      if (length != null) {
        try {
          contentLength = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          contentLength = -1; // the server itself refuses such a request before this point
        }
      }
      InputStream body = exchange.getRequestBody();
      respond(
          exchange,
          endpoint.handle(
              exchange.getRequestMethod(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              contentLength,
              body));
    }
  }

  /**
   * Answers with {@code tokens} in the endpoint's JSON shape, for the application's own
   * credential-checking login handler; the exchange stays open for the caller to close.
   */
  public static void write(HttpExchange exchange, TokenPair tokens) throws IOException {
    respond(exchange, TokenEndpoint.tokens(tokens));
  }

  private static void respond(HttpExchange exchange, TokenEndpoint.Answer answer)
      throws IOException {
    byte[] body = answer.body();
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(answer.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
