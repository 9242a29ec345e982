package dev.jwtsession.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jwtsession.Jwks;
import dev.jwtsession.JwtSession;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The JWKS endpoint as a JDK {@link HttpHandler}: {@code GET}/{@code HEAD} answer {@code 200} with
 * {@code Content-Type: application/jwk-set+json}, {@code Cache-Control: public, max-age=300}
 * (configurable) and {@link JwtSession#publicAccessKeys()}; other methods {@code 405}. Map it
 * yourself, e.g. {@code server.createContext("/.well-known/jwks.json", new JwksHandler(engine))}.
 * Construction fails with {@link dev.jwtsession.JwtSessionConfigException} when the access keys
 * cannot be published.
 */
public final class JwksHandler implements HttpHandler {

  private final Jwks jwks;
  private final byte[] body;

  /** Publishes {@code engine}'s public access keys, cacheable for 5 minutes. */
  public JwksHandler(JwtSession engine) {
    this(engine, Jwks.DEFAULT_MAX_AGE);
  }

  /** Publishes {@code engine}'s public access keys, cacheable for {@code maxAge} (0 or more). */
  public JwksHandler(JwtSession engine, Duration maxAge) {
    this.jwks = Jwks.of(engine, maxAge);
    this.body = jwks.body();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!Jwks.allows(method)) {
        exchange.getResponseHeaders().set("Allow", Jwks.ALLOW);
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", Jwks.CONTENT_TYPE);
      exchange.getResponseHeaders().set("Cache-Control", jwks.cacheControl());
      if (Jwks.headersOnly(method)) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
