package dev.jwtsession.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.Session;
import dev.jwtsession.jdk.JwtSessionHttpFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The JDK's own HTTP server ({@code com.sun.net.httpserver}) for {@code benchmarks/load.sh},
 * started by {@link LoadServer} beside Jetty: {@code /plain/hello} without a filter (case {@code
 * jdk-plain}, the reference) and {@code /session/hello} behind {@link JwtSessionHttpFilter} (case
 * {@code jdk-session-valid}), the same trivial endpoint as Jetty's. It binds 127.0.0.1 only, runs
 * its handlers on a fixed pool of {@value #THREADS} threads, and turns on {@code
 * sun.net.httpserver.nodelay} (without it, Nagle's algorithm caps loopback throughput at a few
 * hundred requests per second).
 */
final class JdkLoadServer {

  /** Handler threads of the JDK server. */
  static final int THREADS = 8;

  private JdkLoadServer() {}

  /** Starts the server on {@code port} (0: a free one) and returns the port it listens on. */
  static int start(int port) throws IOException {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true"); // before the first HttpServer
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(THREADS));
    server.createContext("/plain/hello", exchange -> hello(exchange, e -> null));
    server
        .createContext(
            "/session/hello",
            exchange ->
                hello(
                    exchange,
                    e -> {
                      Session session = JwtSessionHttpFilter.session(e);
                      return session.subject().orElse(null);
                    }))
        .getFilters()
        .add(new JwtSessionHttpFilter(SessionWiring.engine(Clock.systemUTC())));
    server.start();
    return server.getAddress().getPort();
  }

  /** The trivial endpoint: {@code hello <subject>}, the same work with and without the filter. */
  private static void hello(HttpExchange exchange, Function<HttpExchange, String> subjectOf)
      throws IOException {
    String subject = subjectOf.apply(exchange);
    byte[] body =
        ("hello " + (subject == null ? "anonymous" : subject) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
