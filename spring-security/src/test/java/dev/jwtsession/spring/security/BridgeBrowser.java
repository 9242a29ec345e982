package dev.jwtsession.spring.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP client with a hand-kept cookie jar (tests read and plant cookies), that also records
 * every {@code Set-Cookie} any instance received, so a test class can assert that no response ever
 * set {@code JSESSIONID}.
 */
final class BridgeBrowser {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Every Set-Cookie received, by every instance. */
  static final List<String> SEEN_SET_COOKIES = new CopyOnWriteArrayList<>();

  private final String base;
  private final Map<String, String> jar = new LinkedHashMap<>();

  BridgeBrowser(String base) {
    this.base = base;
  }

  Map<String, String> cookies() {
    return jar;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  HttpRequest.Builder request(String path) {
    // What a browser navigating sends, so Spring's entry point and logout answer as to a browser.
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html,*/*;q=0.8");
    StringBuilder cookie = new StringBuilder();
    jar.forEach(
        (name, value) ->
            cookie.append(cookie.length() == 0 ? "" : "; ").append(name).append('=').append(value));
    if (cookie.length() > 0) {
      builder.header("Cookie", cookie.toString());
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    for (String setCookie : setCookies(response)) {
      SEEN_SET_COOKIES.add(setCookie);
      String name = setCookie.substring(0, setCookie.indexOf('='));
      int end = setCookie.indexOf(';');
      String value = setCookie.substring(name.length() + 1, end < 0 ? setCookie.length() : end);
      if (setCookie.contains("Max-Age=0") || value.isEmpty()) {
        jar.remove(name);
      } else {
        jar.put(name, value);
      }
    }
    return response;
  }

  static List<String> setCookies(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie");
  }
}
