package dev.jwtsession.javalin;

import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.JwksScenarios;
import dev.jwtsession.testkit.ServerUnderTest;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;

/** The JWKS endpoint of this adapter over real HTTP on a loopback port: the kit's scenarios. */
class JwksHandlerTest extends JwksScenarios {

  @Override
  protected ServerUnderTest serve(JwtSession engine, Duration maxAge) {
    JwksHandler jwks = maxAge == null ? new JwksHandler(engine) : new JwksHandler(engine, maxAge);
    Javalin app = Javalin.create(config -> jwks.addTo(config.routes, PATH)).start("127.0.0.1", 0);
    return ServerUnderTest.of(URI.create("http://127.0.0.1:" + app.port()), app::stop);
  }

  @Override
  protected void build(JwtSession engine) {
    new JwksHandler(engine);
  }
}
