package dev.jwtsession.javalin;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.testkit.ServerUnderTest;
import dev.jwtsession.testkit.TokenEndpointScenarios;
import io.javalin.Javalin;
import java.net.URI;
import java.util.Map;

/** The Javalin {@link TokenEndpointHandler} over real HTTP (issue 17 tests 5 and 6). */
class JavalinTokenEndpointTest extends TokenEndpointScenarios {

  @Override
  protected ServerUnderTest start(JwtSession engine) {
    TokenEndpointHandler refresh = new TokenEndpointHandler(engine);
    Javalin app =
        Javalin.create(
                config -> {
                  config.routes.post(TOKEN, refresh);
                  config.routes.get(TOKEN, refresh);
                  config.routes.post(
                      TOKENS,
                      ctx -> {
                        Map<String, Object> claims = Map.of("sub", ctx.queryParam("sub"));
                        TokenEndpointHandler.write(
                            ctx, engine.issueTokens(Payloads.of(claims, claims)));
                      });
                })
            .start("127.0.0.1", 0);
    return ServerUnderTest.of(URI.create("http://127.0.0.1:" + app.port()), app::stop);
  }
}
