package dev.jwtsession.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.spi.CookieSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installs jwt-session on a context of the JDK's own HTTP server ({@code com.sun.net.httpserver}):
 * {@code httpContext.getFilters().add(new JwtSessionHttpFilter(engine))}.
 *
 * <p>For each exchange it first runs the engine's {@link dev.jwtsession.CsrfCheck} (a cross-site
 * form {@code POST}/{@code PUT}/{@code PATCH}/{@code DELETE} is answered {@code 403} with a short
 * plain-text reason and the chain is not called), then resolves the {@link Session} from all {@code
 * Cookie} request headers joined with {@code "; "} (or, with {@code bearer(b -> b.enabled(true))},
 * from an {@code Authorization: Bearer} header alone, which also skips the cross-site check: a
 * cross-site form cannot send that header), and runs the chain with the session reachable through
 * {@link #session(HttpExchange)} and, on the handler's thread, {@link Session#current()}. Renewed
 * or cleared cookies are on the response headers before the handler runs; those of {@code
 * login}/{@code logout} the moment the handler calls them, until {@code sendResponseHeaders}, after
 * which they throw {@link IllegalStateException}.
 *
 * <p><b>Security:</b> the session is never stored with {@link HttpExchange#setAttribute}: on JDK 17
 * to 25 exchange attributes live in the {@code HttpContext}'s map, shared by every concurrent
 * exchange of that context (JDK-8235786), so one user's session would be visible to another's
 * request. The filter keeps its own per-exchange store instead, an entry added before the chain and
 * removed when the chain returns or throws.
 *
 * <p>The server needs {@code -Dsun.net.httpserver.nodelay=true} for real throughput (without it,
 * Nagle's algorithm holds back small responses and loopback throughput drops about fiftyfold).
 */
public final class JwtSessionHttpFilter extends Filter {

  /** The sessions of the exchanges in flight, keyed by exchange identity. */
  private static final Map<ExchangeKey, Session> SESSIONS = new ConcurrentHashMap<>();

  private final JwtSession engine;

  /** A filter for this engine. */
  public JwtSessionHttpFilter(JwtSession engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * The session of an exchange that is passing through this filter.
   *
   * @throws IllegalStateException if no {@code JwtSessionHttpFilter} is installed on the exchange's
   *     context, or the exchange is not (or no longer) in that filter's chain
   */
  public static Session session(HttpExchange exchange) {
    Session session = SESSIONS.get(new ExchangeKey(exchange));
    if (session == null) {
      throw new IllegalStateException(
          "No jwt-session Session on this exchange: install the filter on the context of "
              + exchange.getRequestURI().getPath()
              + " (httpContext.getFilters().add(new JwtSessionHttpFilter(engine)))");
    }
    return session;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Headers request = exchange.getRequestHeaders();
    String method = exchange.getRequestMethod();
    String authorization = request.getFirst("Authorization");
    // A cross-site form cannot send Authorization, and a bearer request ignores cookies anyway.
    Optional<String> refusal =
        engine.isBearerRequest(authorization) || !engine.csrf().appliesTo(method)
            ? Optional.empty()
            : engine
                .csrf()
                .refusal(
                    method,
                    exchange.getRequestURI().getPath(),
                    request.getFirst("Origin"),
                    request.getFirst("Sec-Fetch-Site"),
                    originOf(exchange));
    if (refusal.isPresent()) {
      byte[] body = refusal.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
      exchange.sendResponseHeaders(403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      return;
    }
    List<String> cookies = request.get("Cookie"); // several are joined (RFC 9113 §8.2.3)
    String cookieHeader =
        cookies == null ? null : cookies.size() == 1 ? cookies.get(0) : String.join("; ", cookies);
    NoStoreExchange guarded = new NoStoreExchange(exchange);
    Session session = engine.resolve(cookieHeader, authorization, new HeadersCookieSink(guarded));
    ExchangeKey key = new ExchangeKey(guarded);
    SESSIONS.put(key, session);
    JwtSession.Binding binding = engine.bind(session);
    try {
      chain.doFilter(guarded);
    } finally {
      binding.close();
      SESSIONS.remove(key);
    }
  }

  @Override
  public String description() {
    return "jwt-session: cross-site form check, session from cookies or bearer, Session.current() binding";
  }

  /**
   * The origin the client addressed: the scheme ({@code https} iff the exchange is an {@link
   * HttpsExchange}) and the {@code Host} header, default port omitted. Without a {@code Host}
   * (HTTP/1.0) no {@code Origin} matches it, so cross-site form checks fail closed.
   */
  private static String originOf(HttpExchange exchange) {
    boolean https = exchange instanceof HttpsExchange;
    String host = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Host"), "");
    return (https ? "https://" : "http://") + host.replaceFirst(https ? ":443$" : ":80$", "");
  }

  /** Identity of one exchange: a wrapper's {@code equals} must not merge two exchanges. */
  private record ExchangeKey(HttpExchange exchange) {
    @Override
    public boolean equals(Object other) {
      return other instanceof ExchangeKey key && key.exchange == exchange;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(exchange);
    }
  }

  /** Writes {@code Set-Cookie} headers into the exchange's response headers (a multimap). */
  private record HeadersCookieSink(NoStoreExchange exchange) implements CookieSink {
    @Override
    public void preventCaching() {
      exchange.preventCaching();
    }

    @Override
    public boolean isCommitted() {
      return exchange.getResponseCode() != -1; // -1 until sendResponseHeaders
    }

    @Override
    public void add(String setCookieHeader) {
      exchange.getResponseHeaders().add("Set-Cookie", setCookieHeader);
    }

    /** Removes only this cookie's {@code Set-Cookie} value; the application's own ones stay. */
    @Override
    public void replace(String cookieName, String setCookieHeader) {
      Headers headers = exchange.getResponseHeaders();
      List<String> kept = new ArrayList<>(headers.getOrDefault("Set-Cookie", List.of()));
      kept.removeIf(header -> header.startsWith(cookieName + "="));
      kept.add(setCookieHeader);
      headers.put("Set-Cookie", kept);
    }
  }
}
