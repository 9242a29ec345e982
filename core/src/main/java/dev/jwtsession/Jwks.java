package dev.jwtsession;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP answer of a JWKS endpoint, shared by every adapter's endpoint (servlet, Javalin, JDK
 * {@code HttpServer}, Spring Boot): {@code GET} and {@code HEAD} answer {@code 200} with {@link
 * #CONTENT_TYPE}, {@link #cacheControl()} and the body {@link JwtSession#publicAccessKeys()}; any
 * other method answers {@code 405} with {@code Allow: }{@link #ALLOW}.
 *
 * <p>The key set is read once, at construction: keys change only with a new engine (a deploy).
 * Construction fails with {@link JwtSessionConfigException} when the access keys are HMAC secrets
 * only or access tokens are encrypted.
 */
public final class Jwks {

  /** The media type of a JWK Set (RFC 7517 §8.5.1). */
  public static final String CONTENT_TYPE = "application/jwk-set+json";

  /** Default {@code Cache-Control: max-age}: 300 seconds. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  /** The value of the {@code Allow} header sent with a {@code 405}. */
  public static final String ALLOW = "GET, HEAD";

  private final byte[] body;
  private final String cacheControl;

  private Jwks(byte[] body, String cacheControl) {
    this.body = body;
    this.cacheControl = cacheControl;
  }

  /**
   * Renders {@code engine}'s public access keys, cacheable for {@code maxAge} (0 or more).
   *
   * @throws JwtSessionConfigException when the access keys cannot be published
   */
  public static Jwks of(JwtSession engine, Duration maxAge) {
    Objects.requireNonNull(engine, "engine");
    if (Objects.requireNonNull(maxAge, "maxAge").isNegative()) {
      throw new IllegalArgumentException("maxAge is negative; use Duration.ZERO or more");
    }
    return new Jwks(
        engine.publicAccessKeys().toString(true).getBytes(StandardCharsets.UTF_8),
        "public, max-age=" + maxAge.toSeconds());
  }

  /** Whether {@code method} is answered with the key set ({@code GET}, {@code HEAD}). */
  public static boolean allows(String method) {
    return "GET".equals(method) || "HEAD".equals(method);
  }

  /** Whether {@code method} gets headers only ({@code HEAD}). */
  public static boolean headersOnly(String method) {
    return "HEAD".equals(method);
  }

  /** The {@code Cache-Control} header value, e.g. {@code public, max-age=300}. */
  public String cacheControl() {
    return cacheControl;
  }

  /** The JSON body (UTF-8); a copy. */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "Jwks[" + cacheControl + ", " + body.length + " bytes]";
  }
}
