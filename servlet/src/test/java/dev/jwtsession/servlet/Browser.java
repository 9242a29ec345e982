package dev.jwtsession.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real HTTP client with a cookie jar kept by hand (so tests can read and plant cookies and assert
 * Set-Cookie attributes), applying Set-Cookie the way a browser does for these tests' needs.
 */
public final class Browser {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Every Set-Cookie any browser applied, for {@link SessionInvariants}. */
  static final List<String> SEEN_SET_COOKIES = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final String base;
  private final Map<String, String> jar = new LinkedHashMap<>();

  public Browser(String base) {
    this.base = base;
  }

  public Map<String, String> cookies() {
    return jar;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  public HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    String cookie = cookieHeader();
    if (!cookie.isEmpty()) {
      builder.header("Cookie", cookie);
    }
    return builder;
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    apply(response);
    return response;
  }

  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  public String cookieHeader() {
    StringBuilder header = new StringBuilder();
    jar.forEach(
        (name, value) ->
            header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
    return header.toString();
  }

  public void apply(HttpResponse<?> response) {
    for (String setCookie : setCookies(response)) {
      SEEN_SET_COOKIES.add(setCookie);
      String name = setCookie.substring(0, setCookie.indexOf('='));
      String value = setCookie.substring(name.length() + 1, setCookie.indexOf(';'));
      if (setCookie.contains("Max-Age=0")) {
        jar.remove(name);
      } else {
        jar.put(name, value);
      }
    }
  }

  public static List<String> setCookies(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie");
  }
}
