package dev.jwtsession.jdk;

import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.JwksScenarios;
import dev.jwtsession.testkit.ServerUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** The JWKS endpoint of this adapter over real HTTP on a loopback port: the kit's scenarios. */
class JwksHandlerTest extends JwksScenarios {

  @Override
  protected ServerUnderTest serve(JwtSession engine, Duration maxAge) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        PATH, maxAge == null ? new JwksHandler(engine) : new JwksHandler(engine, maxAge));
    server.start();
    return ServerUnderTest.of(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> server.stop(0));
  }

  @Override
  protected void build(JwtSession engine) {
    new JwksHandler(engine);
  }
}
