package dev.jwtsession.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.testkit.AdapterContract;
import dev.jwtsession.testkit.ContractRoutes;
import dev.jwtsession.testkit.ServerUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HttpServer filter passes the adapter contract: {@code com.sun.net.httpserver} on {@code
 * 127.0.0.1:0} with a fixed pool of 8 threads and {@code sun.net.httpserver.nodelay=true}, one
 * context with the filter serving the contract routes.
 *
 * <p>The JDK server sends headers with {@code sendResponseHeaders} before any body byte, so "write
 * part of the body, then log in" ({@code /late-login}) writes into the handler's own buffer first,
 * as JDK handlers do; {@code /committed-login} sends the headers, writes and flushes, then tries.
 */
class JdkHttpServerContractTest extends AdapterContract {

  static {
    // Read once, when the JDK server's configuration class loads; the pom sets it for the whole
    // test JVM too, since another test class may start a server first.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  @Override
  protected ServerUnderTest start(JwtSession engine) throws IOException {
    ContractRoutes routes = ContractRoutes.of(engine);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    server.setExecutor(pool);
    server
        .createContext("/", exchange -> route(exchange, engine, routes))
        .getFilters()
        .add(new JwtSessionHttpFilter(engine));
    server.start();
    return ServerUnderTest.of(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        () -> {
          server.stop(0);
          pool.shutdownNow();
        });
  }

  private static void route(HttpExchange exchange, JwtSession engine, ContractRoutes routes)
      throws IOException {
    Session session = JwtSessionHttpFilter.session(exchange);
    switch (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()) {
      case "GET " + ContractRoutes.ME -> answer(exchange, routes.me(session));
      case "POST " + ContractRoutes.LOGIN ->
          answer(exchange, routes.login(session, queryParam(exchange, "sub")));
      case "POST " + ContractRoutes.LOGOUT -> answer(exchange, routes.logout(session));
      case "POST " + ContractRoutes.LOGOUT_ALL -> answer(exchange, routes.logoutAll(session));
      case "GET " + ContractRoutes.LATE_LOGIN -> {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ContractRoutes.LATE_LOGIN_BODY.getBytes(StandardCharsets.UTF_8));
        routes.lateLogin(session);
        send(exchange, 200, body.toByteArray());
      }
      case "GET " + ContractRoutes.COMMITTED_LOGIN -> {
        exchange.getResponseHeaders().set("Content-Type", ContractRoutes.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, 0); // chunked: the headers are on the wire now
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(ContractRoutes.COMMITTED_BODY.getBytes(StandardCharsets.UTF_8));
          out.flush();
          out.write(routes.committedLogin(session).getBytes(StandardCharsets.UTF_8));
        }
      }
      case "POST " + ContractRoutes.OWN_COOKIE_THEN_LOGOUT -> {
        exchange.getResponseHeaders().add("Set-Cookie", ContractRoutes.OWN_COOKIE);
        answer(exchange, routes.ownCookieThenLogout(session));
      }
      case "GET " + ContractRoutes.CURRENT -> answer(exchange, routes.current());
      case "POST " + ContractRoutes.FORM -> answer(exchange, routes.form());
      case "POST " + ContractRoutes.TOKENS -> {
        byte[] json =
            ContractRoutes.tokenJson(routes.tokens(engine, queryParam(exchange, "sub")))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(json);
        }
      }
      default -> answer(exchange, new ContractRoutes.Reply(404, "no such route"));
    }
  }

  private static void answer(HttpExchange exchange, ContractRoutes.Reply reply) throws IOException {
    if (reply.status() == 204) {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    } else {
      send(exchange, reply.status(), reply.body().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", ContractRoutes.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String queryParam(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }
}
