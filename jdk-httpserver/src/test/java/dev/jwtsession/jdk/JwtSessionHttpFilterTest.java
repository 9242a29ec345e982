package dev.jwtsession.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the JDK server needs: the session kept per exchange, not in the context-wide exchange
 * attributes (JDK-8235786), under real concurrency on one {@link HttpContext}. The behaviour every
 * adapter shares is in {@code JdkHttpServerContractTest}.
 */
class JwtSessionHttpFilterTest {

  private final MutableClock clock = MutableClock.atFixedStart();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<ExecutorService> executors = new ArrayList<>();
  private HttpServer server;

  private JwtSession engine() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofMinutes(15))
                    .secure(false)
                    .secret("jdk-test-access-secret-32-bytes-long!!!"))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secure(false)
                    .secret("jdk-test-refresh-secret-32-bytes-long!!"))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .build();
  }

  /** Starts a server on a free loopback port with {@code threads} handler threads. */
  private HttpContext start(int threads, String path, HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    executors.add(pool);
    server.setExecutor(pool);
    HttpContext context = server.createContext(path, handler);
    server.start();
    return context;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The two session cookies of a fresh login of {@code subject}, as a browser sends them. */
  private static String loginCookies(JwtSession engine, String subject) {
    List<String> setCookies = new ArrayList<>();
    CapturingSink sink = new CapturingSink(setCookies);
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", subject), Map.of("sub", subject)));
    return String.join("; ", setCookies.stream().map(c -> c.substring(0, c.indexOf(';'))).toList());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    executors.forEach(ExecutorService::shutdownNow);
  }

  @Test
  void fiftyConcurrentClientsOfTwoUsersOnOneContextEachGetTheirOwnSession() throws Exception {
    JwtSession engine = engine();
    String alice = loginCookies(engine, "alice");
    String bob = loginCookies(engine, "bob");
    // Every exchange waits in the handler until a second one is in it too: no answer is written
    // while only one exchange of the context is in flight.
    CyclicBarrier pairs = new CyclicBarrier(2);
    HttpContext context =
        start(
            8,
            "/who",
            exchange -> {
              Session own = JwtSessionHttpFilter.session(exchange);
              try {
                pairs.await(30, TimeUnit.SECONDS); // a safety net against a hang, not a timing
              } catch (Exception e) {
                answer(exchange, 500, e.toString());
                return;
              }
              answer(
                  exchange,
                  200,
                  JwtSessionHttpFilter.session(exchange).subject().orElse("anonymous")
                      + ","
                      + Session.current().subject().orElse("anonymous")
                      + ","
                      + (own == JwtSessionHttpFilter.session(exchange)));
            });
    context.getFilters().add(new JwtSessionHttpFilter(engine));

    int clients = 50;
    int requestsEach = 4; // 200 exchanges: an even number, so every one finds its pair
    ExecutorService callers = Executors.newFixedThreadPool(clients);
    executors.add(callers);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String user = c % 2 == 0 ? "alice" : "bob";
      String cookie = c % 2 == 0 ? alice : bob;
      Callable<List<String>> calls =
          () -> {
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < requestsEach; i++) {
              HttpResponse<String> response = get("/who", cookie);
              String expected = user + "," + user + ",true";
              if (response.statusCode() != 200 || !response.body().equals(expected)) {
                mismatches.add(user + " got " + response.statusCode() + " " + response.body());
              }
            }
            return mismatches;
          };
      results.add(callers.submit(calls));
    }
    List<String> mismatches = new ArrayList<>();
    for (Future<List<String>> result : results) {
      mismatches.addAll(result.get(60, TimeUnit.SECONDS));
    }

    assertThat(mismatches).isEmpty();
    assertThat(context.getAttributes()).isEmpty();
  }

  @Test
  void anAttributeSetOnOneExchangeIsVisibleOnTheNextExchangeOfTheSameContext() throws Exception {
    // Documents the pitfall the filter avoids (JDK-8235786): if this starts failing, the JDK got
    // per-exchange attributes (JDK-7105350) and the note in JwtSessionHttpFilter can be revised.
    start(
        1,
        "/attr",
        exchange -> {
          Object before = exchange.getAttribute("probe");
          exchange.setAttribute("probe", exchange.getRequestURI().getQuery());
          answer(exchange, 200, String.valueOf(before));
        });

    assertThat(get("/attr?first", null).body()).isEqualTo("null");
    assertThat(get("/attr?second", null).body()).isEqualTo("first");
  }

  @Test
  void theSessionIsNeverPutIntoExchangeAttributes() throws Exception {
    JwtSession engine = engine();
    HttpContext context =
        start(
            1,
            "/attrs",
            exchange -> {
              JwtSessionHttpFilter.session(exchange); // present
              boolean leaked =
                  exchange.getHttpContext().getAttributes().values().stream()
                      .anyMatch(Session.class::isInstance);
              answer(exchange, 200, "leaked=" + leaked);
            });
    context.getFilters().add(new JwtSessionHttpFilter(engine));

    assertThat(get("/attrs", loginCookies(engine, "alice")).body()).isEqualTo("leaked=false");
    assertThat(context.getAttributes().values()).noneMatch(Session.class::isInstance);
  }

  @Test
  void theSessionIsUnboundAndForgottenWhenTheHandlerThrows() throws Exception {
    JwtSession engine = engine();
    List<HttpExchange> thrown = new ArrayList<>();
    HttpContext context =
        start(
            1, // one handler thread: /check runs on the thread the handler threw on
            "/throw",
            exchange -> {
              thrown.add(exchange);
              throw new IllegalArgumentException("endpoint failed");
            });
    context.getFilters().add(new JwtSessionHttpFilter(engine));
    server.createContext( // no filter here: whatever is bound was left behind
        "/check",
        exchange -> {
          String stored;
          try {
            stored = "stored:" + JwtSessionHttpFilter.session(thrown.get(0)).subject();
          } catch (IllegalStateException expected) {
            stored = "forgotten";
          }
          answer(exchange, 200, stored + ",bound=" + Session.currentIfBound().isPresent());
        });

    assertThatThrownBy(() -> get("/throw", loginCookies(engine, "alice")))
        .isInstanceOf(IOException.class);
    HttpResponse<String> check = get("/check", null);

    assertThat(thrown).isNotEmpty(); // HttpClient may retry the GET once on the closed connection
    assertThat(check.body()).isEqualTo("forgotten,bound=false");
  }

  @Test
  void readingTheSessionWithoutTheFilterSaysHowToInstallIt() throws Exception {
    start(
        1,
        "/plain",
        exchange -> {
          try {
            JwtSessionHttpFilter.session(exchange);
            answer(exchange, 200, "found");
          } catch (IllegalStateException e) {
            answer(exchange, 500, e.getMessage());
          }
        });

    HttpResponse<String> response = get("/plain", null);

    assertThat(response.body())
        .contains("/plain")
        .contains("httpContext.getFilters().add(new JwtSessionHttpFilter(engine))");
  }

  @Test
  void aNullEngineIsRefusedNamingTheEngine() {
    assertThatThrownBy(() -> new JwtSessionHttpFilter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("engine");
  }

  @Test
  void twoSetCookieValuesAreTwoHeadersAndReplacingOneKeepsTheApplicationsOwn() throws Exception {
    JwtSession engine = engine();
    HttpContext context =
        start(
            1,
            "/own",
            exchange -> {
              exchange.getResponseHeaders().add("Set-Cookie", "theme=dark; Path=/");
              Session session = JwtSessionHttpFilter.session(exchange);
              session.login(Payloads.of(Map.of("sub", "carol"), Map.of("sub", "carol")));
              session.logout();
              answer(exchange, 200, "");
            });
    context.getFilters().add(new JwtSessionHttpFilter(engine));

    List<String> setCookies = get("/own", null).headers().allValues("Set-Cookie");

    assertThat(setCookies).hasSize(3).contains("theme=dark; Path=/");
    assertThat(setCookies.stream().filter(c -> c.startsWith("app_session=")))
        .singleElement()
        .asString()
        .contains("Max-Age=0");
    assertThat(setCookies.stream().filter(c -> c.startsWith("app_refresh=")))
        .singleElement()
        .asString()
        .contains("Max-Age=0");
  }

  /** Collects the {@code Set-Cookie} values the engine writes for a login outside any server. */
  private record CapturingSink(List<String> headers) implements dev.jwtsession.spi.CookieSink {
    @Override
    public void preventCaching() {}

    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public void add(String setCookieHeader) {
      headers.add(setCookieHeader);
    }

    @Override
    public void replace(String cookieName, String setCookieHeader) {
      headers.removeIf(h -> h.startsWith(cookieName + "="));
      headers.add(setCookieHeader);
    }
  }
}
