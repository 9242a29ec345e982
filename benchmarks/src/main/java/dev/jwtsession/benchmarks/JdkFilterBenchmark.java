package dev.jwtsession.benchmarks;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import dev.jwtsession.jdk.JwtSessionHttpFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link JwtSessionHttpFilter} itself adds to one exchange of the JDK server, without the
 * server: the filter chain run on an in-memory exchange carrying load case {@code
 * jdk-session-valid}'s {@code Cookie} header, with the filter ({@code filtered}: header lookup,
 * resolve from the verified-token cache, the per-exchange store, bind and unbind, and the handler
 * reading the session) and without it ({@code bare}: the JDK's chain and the same handler minus the
 * session), and the engine's {@code resolve} of that header alone ({@code resolveOnly}). {@code
 * filtered - bare} is the filter's cost per request, of which {@code resolveOnly} is the engine's
 * share; set it against the wrk figure of {@code load.sh}, whose noise on 2 shared cores is larger
 * than the filter.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar JdkFilterBenchmark -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 12, time = 1) // the filtered case needs about 10 s to settle here
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class JdkFilterBenchmark {

  private final dev.jwtsession.JwtSession engine = SessionWiring.engine(Clock.systemUTC());
  private final JwtSessionHttpFilter filter = new JwtSessionHttpFilter(engine);
  private final HttpHandler bareHandler = exchange -> exchange.sendResponseHeaders(200, -1);
  private final HttpHandler sessionHandler =
      exchange -> {
        JwtSessionHttpFilter.session(exchange).subject();
        exchange.sendResponseHeaders(200, -1);
      };
  private String cookieHeader;

  @Setup
  public void setUp() {
    cookieHeader = SessionWiring.cookieHeaders().get(SessionWiring.VALID);
  }

  @Benchmark
  public int bare() throws IOException {
    MemoryExchange exchange = new MemoryExchange(new String(cookieHeader));
    new Filter.Chain(List.of(), bareHandler).doFilter(exchange);
    return exchange.getResponseCode();
  }

  @Benchmark
  public int filtered() throws IOException {
    MemoryExchange exchange = new MemoryExchange(new String(cookieHeader));
    new Filter.Chain(List.of(filter), sessionHandler).doFilter(exchange);
    return exchange.getResponseCode();
  }

  /** The engine's share of {@code filtered}. */
  @Benchmark
  public Object resolveOnly() {
    return engine.resolve(new String(cookieHeader), new EngineBenchmark.CapturingSink());
  }

  /** A {@code GET /session/hello} exchange in memory: request headers in, status out. */
  static final class MemoryExchange extends HttpExchange {
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private int status = -1;

    MemoryExchange(String cookieHeader) {
      requestHeaders.add("Host", "127.0.0.1:8080");
      requestHeaders.add("Cookie", cookieHeader);
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return URI.create("/session/hello");
    }

    @Override
    public String getRequestMethod() {
      return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
      throw new UnsupportedOperationException("not needed by the filter");
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream getResponseBody() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
      status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {
      throw new UnsupportedOperationException("the filter must not use exchange attributes");
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
