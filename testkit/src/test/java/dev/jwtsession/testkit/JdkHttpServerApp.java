package dev.jwtsession.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.spi.CookieSink;
import dev.jwtsession.spi.NoStore;
import dev.jwtsession.testkit.ContractRoutes.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small in-process adapter on the JDK's {@code com.sun.net.httpserver.HttpServer} serving the
 * contract routes, with switchable {@link Flaw}s: without flaws it passes {@link AdapterContract};
 * each flaw is a mistake an adapter author could make, which the contract must catch.
 */
final class JdkHttpServerApp implements ServerUnderTest {

  /** A deliberate adapter bug. */
  enum Flaw {
    /** Drops the cookies the engine writes while resolving (renewed and cleared ones). */
    DROPS_RENEWED_COOKIES,
    /** Never runs the engine's CSRF check. */
    SKIPS_CSRF_CHECK,
    /** Binds {@code Session.current()} only for requests with cookies, and never unbinds it. */
    LEAKS_CURRENT_SESSION,
    /** Does not serve {@code GET /current}. */
    MISSES_CURRENT_ROUTE,
    /** {@code CookieSink.replace} adds a second {@code Set-Cookie} instead of replacing. */
    REPLACE_ADDS,
    /** Reads only the first of several {@code Cookie} headers. */
    FIRST_COOKIE_HEADER_ONLY,
    /** Rewrites the engine's {@code Set-Cookie} headers without {@code HttpOnly}. */
    DROPS_HTTP_ONLY,
    /** Ignores {@code CookieSink.preventCaching}: no {@code Cache-Control: no-store}. */
    IGNORES_NO_STORE
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private JdkHttpServerApp(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static JdkHttpServerApp start(JwtSession engine, Flaw... flaws) throws IOException {
    Set<Flaw> set = flaws.length == 0 ? EnumSet.noneOf(Flaw.class) : EnumSet.of(flaws[0], flaws);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    ContractRoutes routes = ContractRoutes.of(engine);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            handle(engine, routes, set, exchange);
          }
        });
    server.start();
    return new JdkHttpServerApp(server, executor);
  }

  @Override
  public URI baseUri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(
      JwtSession engine, ContractRoutes routes, Set<Flaw> flaws, HttpExchange exchange)
      throws IOException {
    Headers in = exchange.getRequestHeaders();
    String method = exchange.getRequestMethod();
    if (!flaws.contains(Flaw.SKIPS_CSRF_CHECK) && engine.csrf().appliesTo(method)) {
      Optional<String> refusal =
          engine
              .csrf()
              .refusal(
                  method,
                  exchange.getRequestURI().getPath(),
                  in.getFirst("Origin"),
                  in.getFirst("Sec-Fetch-Site"),
                  "http://" + in.getFirst("Host"));
      if (refusal.isPresent()) {
        send(exchange, new Reply(403, refusal.get()));
        return;
      }
    }
    List<String> cookies = in.get("Cookie");
    if (cookies != null && flaws.contains(Flaw.FIRST_COOKIE_HEADER_ONLY)) {
      cookies = cookies.subList(0, 1);
    }
    Sink sink =
        new Sink(
            exchange,
            flaws.contains(Flaw.REPLACE_ADDS),
            flaws.contains(Flaw.DROPS_HTTP_ONLY),
            flaws.contains(Flaw.IGNORES_NO_STORE));
    sink.dropping = flaws.contains(Flaw.DROPS_RENEWED_COOKIES);
    Session session = engine.resolve(cookies == null ? null : String.join("; ", cookies), sink);
    sink.dropping = false;
    if (flaws.contains(Flaw.LEAKS_CURRENT_SESSION)) {
      if (cookies != null) {
        engine.bind(session); // never closed: the thread keeps the session
      }
      route(routes, flaws, session, exchange, sink);
      return;
    }
    try (JwtSession.Binding binding = engine.bind(session)) {
      route(routes, flaws, session, exchange, sink);
    }
  }

  private static void route(
      ContractRoutes routes, Set<Flaw> flaws, Session session, HttpExchange exchange, Sink sink)
      throws IOException {
    String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    switch (route) {
      case "GET " + ContractRoutes.ME -> send(exchange, routes.me(session));
      case "POST " + ContractRoutes.LOGIN -> send(exchange, routes.login(session, sub(exchange)));
      case "POST " + ContractRoutes.LOGOUT -> send(exchange, routes.logout(session));
      case "POST " + ContractRoutes.LOGOUT_ALL -> send(exchange, routes.logoutAll(session));
      case "POST " + ContractRoutes.FORM -> send(exchange, routes.form());
      case "GET " + ContractRoutes.CURRENT -> {
        if (flaws.contains(Flaw.MISSES_CURRENT_ROUTE)) {
          send(exchange, new Reply(404, "not found"));
        } else {
          send(exchange, routes.current());
        }
      }
      case "GET " + ContractRoutes.LATE_LOGIN -> {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(); // the unflushed response body
        buffer.writeBytes(ContractRoutes.LATE_LOGIN_BODY.getBytes(StandardCharsets.UTF_8));
        routes.lateLogin(session);
        send(exchange, new Reply(200, buffer.toString(StandardCharsets.UTF_8)));
      }
      case "GET " + ContractRoutes.COMMITTED_LOGIN -> {
        exchange.getResponseHeaders().set("Content-Type", ContractRoutes.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, 0);
        sink.committed = true;
        OutputStream body = exchange.getResponseBody();
        body.write(ContractRoutes.COMMITTED_BODY.getBytes(StandardCharsets.UTF_8));
        body.flush();
        body.write(routes.committedLogin(session).getBytes(StandardCharsets.UTF_8));
      }
      case "POST " + ContractRoutes.OWN_COOKIE_THEN_LOGOUT -> {
        exchange.getResponseHeaders().add("Set-Cookie", ContractRoutes.OWN_COOKIE);
        send(exchange, routes.ownCookieThenLogout(session));
      }
      default -> send(exchange, new Reply(404, "not found"));
    }
  }

  private static String sub(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("sub=")) {
          return URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", ContractRoutes.CONTENT_TYPE);
    }
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** The engine's cookies onto the exchange's response headers. */
  private static final class Sink implements CookieSink {
    private final HttpExchange exchange;
    private final boolean replaceAdds;
    private final boolean dropsHttpOnly;
    private final boolean ignoresNoStore;
    boolean committed;
    boolean dropping;

    Sink(
        HttpExchange exchange, boolean replaceAdds, boolean dropsHttpOnly, boolean ignoresNoStore) {
      this.exchange = exchange;
      this.replaceAdds = replaceAdds;
      this.dropsHttpOnly = dropsHttpOnly;
      this.ignoresNoStore = ignoresNoStore;
    }

    /** The contract routes set no caching header of their own, so setting it once is enough. */
    @Override
    public void preventCaching() {
      if (!ignoresNoStore) {
        exchange.getResponseHeaders().set(NoStore.HEADER, NoStore.VALUE);
      }
    }

    @Override
    public boolean isCommitted() {
      return committed;
    }

    @Override
    public void add(String setCookieHeader) {
      if (!dropping) {
        exchange
            .getResponseHeaders()
            .add(
                "Set-Cookie",
                dropsHttpOnly ? setCookieHeader.replace("; HttpOnly", "") : setCookieHeader);
      }
    }

    @Override
    public void replace(String cookieName, String setCookieHeader) {
      List<String> values = exchange.getResponseHeaders().get("Set-Cookie");
      if (values != null && !replaceAdds) {
        values.removeIf(v -> v.startsWith(cookieName + "="));
      }
      add(setCookieHeader);
    }
  }
}
