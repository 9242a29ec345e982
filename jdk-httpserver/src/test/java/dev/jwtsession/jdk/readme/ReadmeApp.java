package dev.jwtsession.jdk.readme;

// tag::jdk-imports[]
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.jdk.JwtSessionHttpFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

// end::jdk-imports[]

/**
 * The README's JDK HttpServer section, run by {@link ReadmeSnippetsTest}, which also checks that
 * every tagged region appears in README.md verbatim.
 */
// spotless:off (laid out for the README, which shows these regions verbatim)
final class ReadmeApp {

  private ReadmeApp() {}

  static HttpServer start(JwtSession sessions, String host, int port) throws IOException {
    // tag::jdk-setup[]
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", ReadmeApp::hello).getFilters().add(new JwtSessionHttpFilter(sessions));
    server.start();
    // end::jdk-setup[]
    return server;
  }

  // tag::jdk-handler[]
  static void hello(HttpExchange exchange) throws IOException {
    String name = JwtSessionHttpFilter.session(exchange).subject().orElse("stranger");
    byte[] body = ("Hello " + name).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
  // end::jdk-handler[]
}
// spotless:on
