package dev.jwtsession.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP client ({@link HttpClient}, HTTP/1.1, no redirects) with a cookie jar kept by hand,
 * so tests can read and plant cookies and assert {@code Set-Cookie} attributes. It applies {@code
 * Set-Cookie} the way a browser does for these tests' needs: a {@code Max-Age=0} cookie is removed,
 * any other stored under its name (attributes are not interpreted).
 *
 * <p>Every response's {@code Set-Cookie} headers are also recorded for {@link SessionInvariants},
 * whichever {@code Browser} received them. Not thread-safe for cookie changes; sending from several
 * threads with a fixed jar is fine.
 */
public final class Browser {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** The {@code Set-Cookie} headers of every response any browser received, one list each. */
  static final List<List<String>> SEEN_SET_COOKIES = new CopyOnWriteArrayList<>();

  private final String base;
  private final Map<String, String> jar = new LinkedHashMap<>();

  /**
   * A browser with an empty jar whose paths are resolved against {@code base}, e.g. {@code
   * http://127.0.0.1:41234}; {@code ""} to pass absolute URLs as paths.
   */
  public Browser(String base) {
    this.base = base;
  }

  /** A browser with an empty jar for the server at {@code base}. */
  public Browser(URI base) {
    this(base.toString());
  }

  /** The jar, name to value, in insertion order; tests may change it. */
  public Map<String, String> cookies() {
    return jar;
  }

  /** A {@code GET} with the jar's cookies; applies the answer's cookies. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  /** A bodiless {@code POST} with the jar's cookies; applies the answer's cookies. */
  public HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** A request to {@code path} carrying the jar's cookies in one {@code Cookie} header. */
  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    String cookie = cookieHeader();
    if (!cookie.isEmpty()) {
      builder.header("Cookie", cookie);
    }
    return builder;
  }

  /** Sends {@code request} and applies the answer's cookies to the jar. */
  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    record(response);
    apply(response);
    return response;
  }

  /**
   * Sends {@code request} without touching the jar (apply answers with {@link #apply} yourself);
   * the answer's {@code Set-Cookie} headers are still recorded for {@link SessionInvariants}.
   */
  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return CLIENT
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              record(response);
              return response;
            });
  }

  /**
   * Sends {@code request} without touching the jar (safe from several threads); the answer's {@code
   * Set-Cookie} headers are still recorded for {@link SessionInvariants}.
   */
  public HttpResponse<String> sendWithoutApplying(HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    record(response);
    return response;
  }

  /** The jar as one {@code Cookie} header value, {@code ""} when empty. */
  public String cookieHeader() {
    StringBuilder header = new StringBuilder();
    jar.forEach(
        (name, value) ->
            header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
    return header.toString();
  }

  /** Applies the {@code Set-Cookie} headers of {@code response} to the jar. */
  public void apply(HttpResponse<?> response) {
    for (String setCookie : setCookies(response)) {
      int equals = setCookie.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String name = setCookie.substring(0, equals);
      int semicolon = setCookie.indexOf(';');
      String value =
          setCookie.substring(equals + 1, semicolon < 0 ? setCookie.length() : semicolon);
      if (setCookie.contains("Max-Age=0")) {
        jar.remove(name);
      } else {
        jar.put(name, value);
      }
    }
  }

  /** A copy of this browser: same base, a copy of the jar. */
  public Browser copy() {
    Browser copy = new Browser(base);
    copy.jar.putAll(jar);
    return copy;
  }

  /** Every {@code Set-Cookie} header value of {@code response}, in order. */
  public static List<String> setCookies(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie");
  }

  /** The names of the cookies {@code response} sets or clears, in order, repeated if repeated. */
  public static List<String> setCookieNames(HttpResponse<?> response) {
    List<String> names = new ArrayList<>();
    for (String setCookie : setCookies(response)) {
      names.add(setCookie.substring(0, Math.max(0, setCookie.indexOf('='))));
    }
    return names;
  }

  private static void record(HttpResponse<?> response) {
    SEEN_SET_COOKIES.add(List.copyOf(setCookies(response)));
  }
}
