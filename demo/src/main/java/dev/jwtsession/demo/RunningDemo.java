package dev.jwtsession.demo;

import java.net.URI;
import org.eclipse.jetty.server.Server;

/** A started demo server: where it listens, and how to stop it. {@link #close()} is idempotent. */
public final class RunningDemo implements AutoCloseable {

  private final Server server;
  private final int port;

  RunningDemo(Server server, int port) {
    this.server = server;
    this.port = port;
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

  /** Stops the server and releases its port. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) { // Jetty's stop() declares Exception
      throw new IllegalStateException("the demo server did not stop cleanly", e);
    }
  }
}
