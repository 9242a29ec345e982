package dev.jwtsession.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A hostile page on another site: {@code http://localhost:<port>/} (the demo is on {@code
 * 127.0.0.1}, a different host and so a different site) whose HTML submits a form {@code POST} to
 * the target as soon as it loads, the classic cross-site request forgery.
 */
final class AttackerSite implements AutoCloseable {

  private final HttpServer server;

  private AttackerSite(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves, on a free port, a page that auto-submits an empty form {@code POST} to {@code target}.
   */
  static AttackerSite postingTo(URI target) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the attacker's server", e);
    }
    byte[] page =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>You won a prize</title></head>
        <body>
        <form id="attack" method="post" action="%s">
          <input type="hidden" name="prize" value="1">
        </form>
        <script>document.getElementById("attack").submit();</script>
        </body></html>
        """
            .formatted(target)
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              OutputStream body = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            body.write(page);
          }
        });
    server.start();
    return new AttackerSite(server);
  }

  /** The page's address, on {@code localhost}. */
  URI uri() {
    return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
