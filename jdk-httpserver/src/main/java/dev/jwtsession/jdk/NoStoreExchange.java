package dev.jwtsession.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.jwtsession.spi.NoStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The exchange the handler sees: the same exchange, except that once session cookies were written
 * ({@link #preventCaching()}), every caching header the handler set is overridden with {@code
 * no-store} at {@link #sendResponseHeaders}, the last moment before the headers leave. The JDK
 * server has no response wrapper of its own, so this delegates every other method unchanged.
 */
final class NoStoreExchange extends HttpExchange {

  private final HttpExchange exchange;
  private volatile boolean noStore;

  NoStoreExchange(HttpExchange exchange) {
    this.exchange = exchange;
  }

  /** Sets {@code Cache-Control: no-store} now and keeps it so until the headers are sent. */
  void preventCaching() {
    noStore = true;
    exchange.getResponseHeaders().set(NoStore.HEADER, NoStore.VALUE);
  }

  @Override
  public void sendResponseHeaders(int status, long length) throws IOException {
    if (noStore) {
      Headers headers = exchange.getResponseHeaders();
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (NoStore.governs(header.getKey())) {
          header.setValue(List.of(NoStore.VALUE));
        }
      }
    }
    exchange.sendResponseHeaders(status, length);
  }

  @Override
  public Headers getRequestHeaders() {
    return exchange.getRequestHeaders();
  }

  @Override
  public Headers getResponseHeaders() {
    return exchange.getResponseHeaders();
  }

  @Override
  public URI getRequestURI() {
    return exchange.getRequestURI();
  }

  @Override
  public String getRequestMethod() {
    return exchange.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return exchange.getHttpContext();
  }

  @Override
  public void close() {
    exchange.close();
  }

  @Override
  public InputStream getRequestBody() {
    return exchange.getRequestBody();
  }

  @Override
  public OutputStream getResponseBody() {
    return exchange.getResponseBody();
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return exchange.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return exchange.getResponseCode();
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return exchange.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return exchange.getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return exchange.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    exchange.setAttribute(name, value);
  }

  @Override
  public void setStreams(InputStream in, OutputStream out) {
    exchange.setStreams(in, out);
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return exchange.getPrincipal();
  }
}
