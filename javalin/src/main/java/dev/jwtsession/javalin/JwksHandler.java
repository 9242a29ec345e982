package dev.jwtsession.javalin;

import dev.jwtsession.Jwks;
import dev.jwtsession.JwtSession;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.List;

/**
 * The JWKS endpoint as a Javalin handler: {@code GET}/{@code HEAD} answer {@code 200} with {@code
 * Content-Type: application/jwk-set+json}, {@code Cache-Control: public, max-age=300}
 * (configurable) and {@link JwtSession#publicAccessKeys()}; other methods {@code 405}. Register it
 * with {@link #addTo(JavalinDefaultRoutingApi, String)}, e.g. {@code jwks.addTo(config.routes,
 * "/.well-known/jwks.json")}, which maps it for every common method so that the others get the
 * {@code 405}. Construction fails with {@link dev.jwtsession.JwtSessionConfigException} when the
 * access keys cannot be published.
 */
public final class JwksHandler implements Handler {

  private static final List<HandlerType> METHODS =
      List.of(
          HandlerType.GET,
          HandlerType.HEAD,
          HandlerType.POST,
          HandlerType.PUT,
          HandlerType.PATCH,
          HandlerType.DELETE);

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

  /** Maps this handler at {@code path} for GET, HEAD, POST, PUT, PATCH and DELETE. */
  public JwksHandler addTo(JavalinDefaultRoutingApi routes, String path) {
    for (HandlerType method : METHODS) {
      routes.addHttpHandler(method, path, this);
    }
    return this;
  }

  @Override
  public void handle(Context ctx) {
    String method = ctx.method().name();
    if (!Jwks.allows(method)) {
      ctx.header("Allow", Jwks.ALLOW).status(405);
      return;
    }
    ctx.status(200).contentType(Jwks.CONTENT_TYPE).header("Cache-Control", jwks.cacheControl());
    if (Jwks.headersOnly(method)) {
      ctx.header("Content-Length", Integer.toString(body.length));
    } else {
      ctx.result(body);
    }
  }
}
