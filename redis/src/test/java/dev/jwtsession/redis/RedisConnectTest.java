package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jwtsession.spi.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connecting never holds request threads: against a server that accepts TCP connections and never
 * answers (so a connect hangs for as long as the client allows, here ten minutes), every store call
 * fails with {@link StoreUnavailableException} after its command timeout, also with a
 * caller-supplied client, whose blocking {@code connect()} used to run under a lock every request
 * thread waited on.
 */
class RedisConnectTest {

  /** A guard against hangs, far above the 200 ms command timeout; not a performance assertion. */
  private static final Duration NO_HANG = Duration.ofSeconds(20);

  @Test
  void aSuppliedClientWhoseConnectHangsNeverHoldsRequestThreadsBeyondTheCommandTimeout()
      throws Exception {
    try (Blackhole hole = new Blackhole()) {
      RedisClient client =
          RedisClient.create(
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(hole.port())
                  .withTimeout(Duration.ofMinutes(10))
                  .build());
      ExecutorService requests = Executors.newFixedThreadPool(4);
      try {
        assertTimeoutPreemptively(
            NO_HANG,
            () -> {
              try (RedisRefreshTokenStore store =
                  RedisRefreshTokenStore.builder()
                      .client(client)
                      .commandTimeout(Duration.ofMillis(200))
                      .build()) {
                List<Future<Throwable>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                  calls.add(requests.submit(() -> failureOf(store)));
                }
                for (Future<Throwable> call : calls) {
                  assertThat(call.get()).isInstanceOf(StoreUnavailableException.class);
                }
              }
            });
        assertThat(hole.accepted()).isPositive(); // the connect really was under way, and hanging
      } finally {
        requests.shutdownNow();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void aUriStoreWhoseConnectHangsFailsEveryCallWithinTheTimeout() throws Exception {
    try (Blackhole hole = new Blackhole()) {
      assertTimeoutPreemptively(
          NO_HANG,
          () -> {
            try (RedisRefreshTokenStore store =
                RedisRefreshTokenStore.builder()
                    .uri("redis://127.0.0.1:" + hole.port())
                    .commandTimeout(Duration.ofMillis(200))
                    .build()) {
              for (int i = 0; i < 3; i++) {
                assertThat(failureOf(store)).isInstanceOf(StoreUnavailableException.class);
              }
            }
          });
    }
  }

  private static Throwable failureOf(RedisRefreshTokenStore store) {
    try {
      store.isActive("family", Instant.now());
      return new AssertionError("isActive answered although Redis never does");
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Accepts connections on a loopback port and never reads nor writes. */
  private static final class Blackhole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();

    Blackhole() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor.submit(
          () -> {
            while (!server.isClosed()) {
              try {
                sockets.add(server.accept());
              } catch (IOException closed) {
                return;
              }
            }
          });
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return sockets.size();
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
      acceptor.shutdownNow();
      acceptor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
