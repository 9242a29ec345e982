package dev.jwtsession.demo;

import dev.jwtsession.spi.RefreshTokenStore;
import java.net.URI;
import org.eclipse.jetty.server.Server;

/** A started demo server: where it listens, and how to stop it. {@link #close()} is idempotent. */
public final class RunningDemo implements AutoCloseable {

  private final Server server;
  private final int port;
  private final RefreshTokenStore store;

  RunningDemo(Server server, int port, RefreshTokenStore store) {
    this.server = server;
    this.port = port;
    this.store = store;
  }

  /** The port it listens on (the one picked when started with {@code PORT=0}). */
  public int port() {
    return port;
  }

  /** Its base address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return URI.create("http://" + DemoServer.HOST + ":" + port + "/");
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops the server, releases its port and closes the store's connections. */
  @Override
  public void close() {
    try {
      server.stop();
      if (store instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } catch (Exception e) { // Jetty's stop() and AutoCloseable.close() declare Exception
      throw new IllegalStateException("the demo server did not stop cleanly", e);
    }
  }
}
