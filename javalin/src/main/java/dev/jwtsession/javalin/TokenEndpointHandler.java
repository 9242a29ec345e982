package dev.jwtsession.javalin;

import dev.jwtsession.JwtSession;
import dev.jwtsession.TokenPair;
import dev.jwtsession.spi.TokenEndpoint;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.util.Map;

/**
 * The refresh endpoint for API clients on Javalin, with the behaviour of the servlet module's
 * {@code TokenEndpointServlet} ({@link TokenEndpoint}: {@code 200} tokens JSON, {@code 400
 * invalid_grant} / {@code invalid_request}, {@code 413} over 8 KB, {@code 503} store down, {@code
 * 405} for other methods, always {@code Cache-Control: no-store}). Register it for {@code POST}
 * (and {@code GET}, to answer {@code 405} rather than {@code 404}):
 *
 * <pre>{@code
 * TokenEndpointHandler refresh = new TokenEndpointHandler(engine);
 * config.routes.post("/api/token/refresh", refresh);
 * config.routes.get("/api/token/refresh", refresh);
 * }</pre>
 */
public final class TokenEndpointHandler implements Handler {

  private final TokenEndpoint endpoint;

  /** An endpoint renewing tokens of {@code engine}. */
  public TokenEndpointHandler(JwtSession engine) {
    this.endpoint = new TokenEndpoint(engine);
  }

  @Override
  public void handle(Context ctx) throws Exception {
    HttpServletRequest request = ctx.req();
    boolean post = "POST".equals(request.getMethod());
    try (InputStream body = post ? request.getInputStream() : InputStream.nullInputStream()) {
      respond(
          ctx,
          endpoint.handle(
              request.getMethod(),
              post ? request.getContentType() : null,
              request.getContentLengthLong(),
              body));
    }
  }

  /**
   * Answers with {@code tokens} in the endpoint's JSON shape, for the application's own
   * credential-checking login route.
   */
  public static void write(Context ctx, TokenPair tokens) {
    respond(ctx, TokenEndpoint.tokens(tokens));
  }

  private static void respond(Context ctx, TokenEndpoint.Answer answer) {
    ctx.status(answer.status());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      if (header.getKey().equals("Content-Type")) {
        ctx.contentType(header.getValue());
      } else {
        ctx.header(header.getKey(), header.getValue());
      }
    }
    ctx.result(answer.body());
  }
}
