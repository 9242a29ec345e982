package dev.jwtsession.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A minimal browser over {@link HttpClient}: its own cookie jar, kept by hand from each response's
 * {@code Set-Cookie} headers (not a {@code CookieManager}) so tests can assert the attributes. It
 * never follows redirects, and sends no {@code Origin} unless told to.
 */
final class Browser {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;
  private final Map<String, String> jar = new LinkedHashMap<>();

  Browser(URI base) {
    this.base = base;
  }

  /** The cookies this browser holds, name to value. */
  Map<String, String> cookies() {
    return jar;
  }

  /** A second browser holding a copy of this one's cookies (a stolen or copied jar). */
  Browser copy() {
    Browser copy = new Browser(base);
    copy.jar.putAll(jar);
    return copy;
  }

  Exchange get(String path, String... headers) {
    return send(request(path, headers).GET());
  }

  Exchange post(String path, Map<String, String> form, String... headers) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        request(path, headers)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * A POST with this body and no {@code Content-Type} at all, as {@code fetch(url, {mode:
   * 'no-cors', credentials: 'include', body: new Blob([...])})} sends it.
   */
  Exchange postWithoutContentType(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A POST with a JSON body. */
  Exchange postJson(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Exchange login(String username, String password) {
    return post("/login", Map.of("username", username, "password", password));
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (!jar.isEmpty()) {
      request.header(
          "Cookie",
          jar.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return request;
  }

  private Exchange send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<SetCookieLine> setCookies =
        response.headers().allValues("Set-Cookie").stream().map(SetCookieLine::parse).toList();
    for (SetCookieLine cookie : setCookies) {
      if (cookie.clears()) {
        jar.remove(cookie.name());
      } else {
        jar.put(cookie.name(), cookie.value());
      }
    }
    return new Exchange(response, setCookies);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** One response and the cookies it set. */
  record Exchange(HttpResponse<String> response, List<SetCookieLine> setCookies) {

    int status() {
      return response.statusCode();
    }

    String body() {
      return response.body();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    SetCookieLine setCookie(String name) {
      return setCookies.stream()
          .filter(c -> c.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + " in " + setCookies));
    }
  }
}
