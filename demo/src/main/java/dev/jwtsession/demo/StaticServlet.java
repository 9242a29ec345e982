package dev.jwtsession.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /static/*}: the page's stylesheet and script, read from the classpath once at start.
 * Only the files listed here are served, so no request path ever reaches the class loader.
 */
final class StaticServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("ArrayRecordComponent") // private; the bytes are only ever written out
  private record Asset(String contentType, byte[] bytes) {}

  private final transient Map<String, Asset> assets =
      Map.of(
          "/app.css", load("app.css", "text/css;charset=utf-8"),
          "/app.js", load("app.js", "text/javascript;charset=utf-8"));

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Asset asset = assets.get(request.getPathInfo());
    if (asset == null) {
      Responses.text(response, HttpServletResponse.SC_NOT_FOUND, "Not found");
      return;
    }
    response.setHeader("Cache-Control", "no-cache");
    response.setContentType(asset.contentType());
    response.setContentLength(asset.bytes().length);
    response.getOutputStream().write(asset.bytes());
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = StaticServlet.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the demo jar lacks its resource static/" + name);
      }
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
