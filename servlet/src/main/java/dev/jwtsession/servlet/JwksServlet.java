package dev.jwtsession.servlet;

import dev.jwtsession.Jwks;
import dev.jwtsession.JwtSession;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Publishes the public keys of the access tokens as a JWK Set, so other services verify them
 * without holding a signing secret. Map it yourself, e.g. to {@code /.well-known/jwks.json}: {@code
 * GET} and {@code HEAD} answer {@code 200} with {@code Content-Type: application/jwk-set+json} and
 * {@code Cache-Control: public, max-age=300} (configurable), the body being {@link
 * JwtSession#publicAccessKeys()}; any other method answers {@code 405}.
 *
 * <p>The key set is read once, at construction: keys change only with a new engine (a deploy),
 * which is what the rotation procedure's "wait at least the consumers' cache time" refers to.
 * Construction fails with {@link dev.jwtsession.JwtSessionConfigException} when the access keys are
 * HMAC secrets only or access tokens are encrypted.
 */
public final class JwksServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The media type of a JWK Set (RFC 7517 §8.5.1). */
  public static final String CONTENT_TYPE = Jwks.CONTENT_TYPE;

  /** Default {@code Cache-Control: max-age}: 300 seconds. */
  public static final Duration DEFAULT_MAX_AGE = Jwks.DEFAULT_MAX_AGE;

  private final byte[] body;
  private final String cacheControl;

  /** Publishes {@code engine}'s public access keys, cacheable for {@link #DEFAULT_MAX_AGE}. */
  public JwksServlet(JwtSession engine) {
    this(engine, DEFAULT_MAX_AGE);
  }

  /** Publishes {@code engine}'s public access keys, cacheable for {@code maxAge} (0 or more). */
  public JwksServlet(JwtSession engine, Duration maxAge) {
    Jwks jwks = Jwks.of(engine, maxAge);
    this.body = jwks.body();
    this.cacheControl = jwks.cacheControl();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String method = request.getMethod();
    if (!Jwks.allows(method)) {
      response.setHeader("Allow", Jwks.ALLOW);
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Cache-Control", cacheControl);
    response.setContentLength(body.length);
    if (!Jwks.headersOnly(method)) {
      response.getOutputStream().write(body);
    }
  }
}
