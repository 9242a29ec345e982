package dev.jwtsession.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only Javalin needs: exception mapping, {@code ctx.future(..)}, the plugin's registration.
 * The behaviour every adapter shares is in {@code JavalinContractTest}.
 */
class JwtSessionPluginTest {

  private final MutableClock clock = MutableClock.atFixedStart();
  private final HttpClient client = HttpClient.newHttpClient();
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();
  private Javalin app;

  private JwtSession engine() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .secure(false)
                    .secret("javalin-test-access-secret-32-bytes-long"))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secure(false)
                    .secret("javalin-test-refresh-secret-32-bytes-lon"))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .build();
  }

  private void start(Consumer<JavalinConfig> config) {
    app = Javalin.create(config).start("127.0.0.1", 0);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
  }

  /** Logs {@code subject} in over HTTP and returns the cookies as a browser sends them back. */
  private String login(String subject) throws Exception {
    HttpResponse<String> login =
        send(request("/login?sub=" + subject).POST(HttpRequest.BodyPublishers.noBody()));
    return cookieHeader(login.headers().allValues("Set-Cookie"));
  }

  private static String cookieHeader(List<String> setCookies) {
    return String.join("; ", setCookies.stream().map(c -> c.substring(0, c.indexOf(';'))).toList());
  }

  private static void loginRoute(JavalinConfig config) {
    config.routes.post(
        "/login",
        ctx -> {
          String sub = ctx.queryParam("sub");
          ctx.with(JwtSessionPlugin.class)
              .login(Payloads.of(Map.of("sub", sub), Map.of("sub", sub)));
          ctx.status(204);
        });
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
    elsewhere.shutdownNow();
  }

  @Test
  void anEndpointThatThrowsIntoAnExceptionMapperStillGetsRenewedCookiesAndLeavesNothingBound()
      throws Exception {
    JwtSession engine = engine();
    CompletableFuture<Boolean> boundInEndpoint = new CompletableFuture<>();
    CompletableFuture<Boolean> boundAfterRequest = new CompletableFuture<>();
    // A servlet filter registered before the plugin's, so it runs outside it: it sees the request
    // thread after the plugin is done with it.
    Filter outside =
        (request, response, chain) -> {
          try {
            chain.doFilter(request, response);
          } finally {
            if (((jakarta.servlet.http.HttpServletRequest) request)
                .getRequestURI()
                .equals("/boom")) {
              boundAfterRequest.complete(Session.currentIfBound().isPresent());
            }
          }
        };
    start(
        config -> {
          config.jetty.modifyServletContextHandler(
              handler ->
                  handler.addFilter(
                      new FilterHolder(outside), "/*", EnumSet.of(DispatcherType.REQUEST)));
          config.registerPlugin(new JwtSessionPlugin(engine));
          loginRoute(config);
          config.routes.get(
              "/boom",
              ctx -> {
                boundInEndpoint.complete(Session.current().isAuthenticated());
                throw new IllegalArgumentException("endpoint failed");
              });
          config.routes.exception(
              IllegalArgumentException.class,
              (e, ctx) -> ctx.status(409).result("mapped: " + e.getMessage()));
        });
    String cookies = login("alice");
    clock.advance(Duration.ofMinutes(5)); // the access token expired; the refresh token is valid

    HttpResponse<String> boom = send(request("/boom").header("Cookie", cookies));

    assertThat(boom.statusCode()).isEqualTo(409);
    assertThat(boom.body()).isEqualTo("mapped: endpoint failed");
    assertThat(boom.headers().allValues("Set-Cookie"))
        .hasSize(2)
        .anyMatch(c -> c.startsWith("app_session="))
        .anyMatch(c -> c.startsWith("app_refresh="))
        .noneMatch(c -> c.contains("Max-Age=0"));
    assertThat(boundInEndpoint.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(boundAfterRequest.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aFutureEndpointReadsTheSessionThroughCtxWithOnAnotherThread() throws Exception {
    start(
        config -> {
          config.registerPlugin(new JwtSessionPlugin(engine()));
          loginRoute(config);
          config.routes.get(
              "/future",
              ctx -> {
                Thread requestThread = Thread.currentThread();
                ctx.future(
                    () ->
                        CompletableFuture.supplyAsync(
                                () ->
                                    ctx.with(JwtSessionPlugin.class).subject().orElse("anonymous")
                                        + ",elsewhere="
                                        + (Thread.currentThread() != requestThread)
                                        + ",same="
                                        + (ctx.with(JwtSessionPlugin.class)
                                            == JwtSessionPlugin.session(ctx)),
                                elsewhere)
                            .thenAccept(ctx::result));
              });
        });
    String cookies = login("alice");

    HttpResponse<String> future = send(request("/future").header("Cookie", cookies));

    assertThat(future.statusCode()).isEqualTo(200);
    assertThat(future.body()).isEqualTo("alice,elsewhere=true,same=true");
    assertThat(send(request("/future")).body()).startsWith("anonymous,");
  }

  @Test
  void registeringThePluginTwiceFailsAtStartupWithAClearMessage() {
    JwtSession engine = engine();

    assertThatThrownBy(
            () ->
                Javalin.create(
                    config -> {
                      config.registerPlugin(new JwtSessionPlugin(engine));
                      config.registerPlugin(new JwtSessionPlugin(cfg -> cfg.engine = engine));
                    }))
        .hasMessageContaining("JwtSessionPlugin is already registered");
  }

  @Test
  void aCrossSiteFormPostIsRefusedBeforeAnyJavalinHandlerRuns() throws Exception {
    AtomicInteger handlers = new AtomicInteger();
    start(
        config -> {
          config.registerPlugin(new JwtSessionPlugin(engine()));
          config.routes.before(ctx -> handlers.incrementAndGet());
          config.routes.post("/form", ctx -> handlers.incrementAndGet());
        });

    HttpResponse<String> refused =
        send(
            request("/form")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=1")));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).startsWith("Cross-site");
    assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(handlers).hasValue(0);
  }

  @Test
  void aWebSocketUpgradeFromAnotherOriginGetsItsSessionResolvedAndIsNotRefused() throws Exception {
    CompletableFuture<String> subjectAtUpgrade = new CompletableFuture<>();
    start(
        config -> {
          config.registerPlugin(new JwtSessionPlugin(engine()));
          loginRoute(config);
          config.routes.wsBeforeUpgrade(
              "/ws",
              ctx ->
                  subjectAtUpgrade.complete(
                      ctx.with(JwtSessionPlugin.class).subject().orElse("anonymous")));
          config.routes.ws("/ws", ws -> ws.onConnect(ctx -> ctx.send("connected")));
        });
    String cookies = login("alice");
    CompletableFuture<String> firstMessage = new CompletableFuture<>();

    WebSocket socket =
        client
            .newWebSocketBuilder()
            .header("Cookie", cookies)
            .header("Origin", "https://evil.example") // the application's job, not the plugin's
            .buildAsync(
                URI.create("ws://127.0.0.1:" + app.port() + "/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    firstMessage.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      assertThat(firstMessage.get(10, TimeUnit.SECONDS)).isEqualTo("connected");
      assertThat(subjectAtUpgrade.get(10, TimeUnit.SECONDS)).isEqualTo("alice");
    } finally {
      socket.abort();
    }
  }

  @Test
  void readingTheSessionWithoutThePluginSaysHowToRegisterIt() throws Exception {
    start(
        config ->
            config.routes.get(
                "/me",
                ctx -> {
                  try {
                    JwtSessionPlugin.session(ctx);
                    ctx.result("found");
                  } catch (IllegalStateException e) {
                    ctx.result(e.getMessage());
                  }
                }));

    assertThat(send(request("/me")).body())
        .contains("config.registerPlugin(new JwtSessionPlugin(engine))");
  }

  @Test
  void aNullEngineIsRefusedNamingTheEngine() {
    assertThatThrownBy(() -> new JwtSessionPlugin((JwtSession) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("engine");
    assertThatThrownBy(() -> new JwtSessionPlugin(cfg -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("engine");
  }
}
