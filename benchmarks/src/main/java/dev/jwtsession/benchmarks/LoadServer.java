package dev.jwtsession.benchmarks;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A minimal embedded Jetty 12 server for {@code benchmarks/load.sh}: one trivial endpoint three
 * times, so the load script measures only what a session layer adds.
 *
 * <ul>
 *   <li>{@code /plain/hello}: no filter (case a, the reference);
 *   <li>{@code /session/hello}: behind our engine's filter ({@link SessionWiring});
 *   <li>{@code /naive/hello}: behind {@link NaiveNimbusFilter}, Nimbus on every request.
 * </ul>
 *
 * <p>Beside Jetty it starts {@link JdkLoadServer}, the JDK's own server with the same endpoint
 * without and with {@code JwtSessionHttpFilter}, on a port of its own ({@code JDK_PORT}).
 *
 * <p>Each answers {@code 200 hello <subject>} (or {@code hello anonymous}). On start it binds
 * 127.0.0.1 only, on the given port (0: a free one), and writes a shell-sourceable file with the
 * port and the {@code Cookie} header of each load case, then runs until killed. The
 * re-authentication cases get a pool of {@link SessionWiring#REAUTH_POOL_SIZE} distinct {@code
 * Cookie} headers each, one per line in a file next to the env file ({@code SESSION_REAUTH_POOL},
 * {@code NAIVE_REAUTH_POOL}), which {@code benchmarks/reauth.lua} cycles through: the engine
 * coalesces concurrent requests with one refresh token, so repeating one cookie would not renew per
 * request.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.jwtsession.benchmarks.LoadServer [port] [env-file]
 * }</pre>
 */
public final class LoadServer {

  private LoadServer() {}

  public static void main(String[] args) throws Exception {
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path envFile = args.length > 1 ? Path.of(args[1]) : null;

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new HelloServlet(request -> null)), "/plain/hello");
    context.addServlet(
        new ServletHolder(
            new HelloServlet(request -> (String) request.getAttribute(NaiveNimbusFilter.SUBJECT))),
        "/naive/hello");
    context.addFilter(
        new FilterHolder(new NaiveNimbusFilter()), "/naive/*", EnumSet.of(DispatcherType.REQUEST));
    boolean sessionWired = SessionWiring.install(context);
    context.addServlet(
        new ServletHolder(
            sessionWired ? new HelloServlet(SessionWiring::subject) : new NotWiredServlet()),
        "/session/hello");
    server.setHandler(context);
    server.start();

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", Integer.toString(connector.getLocalPort()));
    env.put("SESSION_WIRED", Boolean.toString(sessionWired));
    env.put("JDK_PORT", Integer.toString(JdkLoadServer.start(0)));
    env.putAll(naiveCookieHeaders());
    env.put("GARBAGE_COOKIE", garbageCookieHeader());
    SessionWiring.cookieHeaders()
        .forEach((name, header) -> env.put("SESSION_" + name + "_COOKIE", header));
    Path poolDir =
        envFile != null ? envFile.toAbsolutePath().getParent() : Path.of(".").toAbsolutePath();
    env.put(
        "SESSION_REAUTH_POOL",
        writePool(
            poolDir.resolve("session-reauth-cookies.txt"),
            sessionWired
                ? SessionWiring.reauthCookieHeaders(SessionWiring.REAUTH_POOL_SIZE)
                : List.of()));
    env.put(
        "NAIVE_REAUTH_POOL",
        writePool(
            poolDir.resolve("naive-reauth-cookies.txt"),
            naiveReauthCookieHeaders(SessionWiring.REAUTH_POOL_SIZE)));
    StringBuilder text = new StringBuilder();
    env.forEach((name, value) -> text.append(name).append("='").append(value).append("'\n"));
    if (envFile != null) {
      Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, envFile); // atomically visible to load.sh, which waits for the file
    } else {
      System.out.print(text);
    }
    server.join();
  }

  /**
   * Cookie headers for the naive filter: a valid access cookie, and an expired access + valid
   * refresh.
   */
  static Map<String, String> naiveCookieHeaders() {
    Instant longAgo = Instant.ofEpochSecond(1_717_200_000L);
    String expiredAccess =
        TokenFixture.sign(TokenFixture.userClaims(), longAgo, longAgo.plusSeconds(900));
    String refresh =
        TokenFixture.sign(
            TokenFixture.REFRESH_SECRET,
            TokenFixture.refreshClaims("j-0d6f1c9a"),
            longAgo,
            TokenFixture.EXPIRES_AT);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("NAIVE_VALID_COOKIE", NaiveNimbusFilter.ACCESS_COOKIE + "=" + TokenFixture.TOKEN);
    headers.put(
        "NAIVE_REAUTH_COOKIE",
        NaiveNimbusFilter.ACCESS_COOKIE
            + "="
            + expiredAccess
            + "; "
            + NaiveNimbusFilter.REFRESH_COOKIE
            + "="
            + refresh);
    return headers;
  }

  /**
   * {@code count} distinct naive re-authentication headers (expired access + valid refresh, each
   * refresh with its own {@code jti}, each access issued a second apart), for the same per-request
   * work as the engine's pool.
   */
  static List<String> naiveReauthCookieHeaders(int count) {
    Instant longAgo = Instant.ofEpochSecond(1_717_200_000L);
    List<String> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant issued = longAgo.plusSeconds(i);
      String expiredAccess =
          TokenFixture.sign(TokenFixture.userClaims(), issued, issued.plusSeconds(900));
      String refresh =
          TokenFixture.sign(
              TokenFixture.REFRESH_SECRET,
              TokenFixture.refreshClaims(String.format("j-%08x", i)),
              issued,
              TokenFixture.EXPIRES_AT);
      headers.add(
          NaiveNimbusFilter.ACCESS_COOKIE
              + "="
              + expiredAccess
              + "; "
              + NaiveNimbusFilter.REFRESH_COOKIE
              + "="
              + refresh);
    }
    return headers;
  }

  /** Writes one header per line and returns the file's absolute path. */
  private static String writePool(Path file, List<String> headers) throws IOException {
    Files.write(file, headers, StandardCharsets.US_ASCII);
    return file.toAbsolutePath().toString();
  }

  /**
   * Token-shaped garbage in both cookies: the fixture's header, then random Base64url of the
   * fixture's payload and signature lengths. A verifier must at least check the signature to reject
   * it, which makes it the expensive kind of garbage. Fixed seed: every run sends the same bytes.
   */
  static String garbageCookieHeader() {
    Random random = new Random(42);
    String token = TokenFixture.TOKEN;
    int dot1 = token.indexOf('.');
    int dot2 = token.lastIndexOf('.');
    String garbage =
        token.substring(0, dot1 + 1)
            + randomBase64Url(random, dot2 - dot1 - 1)
            + "."
            + randomBase64Url(random, token.length() - dot2 - 1);
    return NaiveNimbusFilter.ACCESS_COOKIE
        + "="
        + garbage
        + "; "
        + NaiveNimbusFilter.REFRESH_COOKIE
        + "="
        + garbage;
  }

  private static String randomBase64Url(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** The trivial endpoint: {@code hello <subject>}, the same work behind every filter. */
  private static final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Function<HttpServletRequest, String> subjectOf;

    HelloServlet(Function<HttpServletRequest, String> subjectOf) {
      this.subjectOf = subjectOf;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String subject = subjectOf.apply(request);
      byte[] body =
          ("hello " + (subject == null ? "anonymous" : subject) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/plain;charset=utf-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  /** {@code /session/hello} until the engine is wired in {@link SessionWiring}. */
  private static final class NotWiredServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "engine not wired yet");
    }
  }
}
