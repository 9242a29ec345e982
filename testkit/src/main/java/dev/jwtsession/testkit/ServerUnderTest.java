package dev.jwtsession.testkit;

import java.net.URI;

/**
 * A running application behind the adapter under test, serving the contract routes of {@link
 * AdapterContract} on a loopback port; closing it stops the server.
 */
public interface ServerUnderTest extends AutoCloseable {

  /** Where the application listens, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  URI baseUri();

  /** Wraps a base URI and the action that stops the server, for adapters that need no class. */
  static ServerUnderTest of(URI baseUri, AutoCloseable stop) {
    return new ServerUnderTest() {
      @Override
      public URI baseUri() {
        return baseUri;
      }

      @Override
      public void close() throws Exception {
        stop.close();
      }

      @Override
      public String toString() {
        return "ServerUnderTest[" + baseUri + "]";
      }
    };
  }
}
