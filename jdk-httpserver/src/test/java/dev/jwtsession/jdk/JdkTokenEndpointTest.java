package dev.jwtsession.jdk;

import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.testkit.ServerUnderTest;
import dev.jwtsession.testkit.TokenEndpointScenarios;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK HttpServer {@link TokenEndpointHandler} over real HTTP (issue 17 tests 5 and 6). */
class JdkTokenEndpointTest extends TokenEndpointScenarios {

  @Override
  protected ServerUnderTest start(JwtSession engine) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    server.setExecutor(pool);
    server.createContext(TOKEN, new TokenEndpointHandler(engine));
    server.createContext(
        TOKENS,
        exchange -> {
          try (exchange) {
            String sub = exchange.getRequestURI().getQuery().substring("sub=".length());
            Map<String, Object> claims = Map.of("sub", sub);
            TokenEndpointHandler.write(exchange, engine.issueTokens(Payloads.of(claims, claims)));
          }
        });
    server.start();
    return ServerUnderTest.of(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        () -> {
          server.stop(0);
          pool.shutdownNow();
        });
  }
}
