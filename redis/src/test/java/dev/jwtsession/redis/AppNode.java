package dev.jwtsession.redis;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.servlet.TestApp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One application server of a cluster: a real Jetty {@link TestApp} behind its own, separately
 * built {@link JwtSession}, with its own {@link RedisRefreshTokenStore} client, its own listener
 * and its own reauth counter. Nodes share only what real nodes share: the keys and the Redis server
 * (and, in tests, the clock, because the store decides expiry against the engine's {@code now}).
 */
final class AppNode implements AutoCloseable {

  /** The key prefix every node's store uses, so tests can scan the keys of this application. */
  static final String KEY_PREFIX = "app:";

  static final Duration ACCESS_LIFETIME = Duration.ofSeconds(60);
  static final Duration REFRESH_LIFETIME = Duration.ofDays(7);
  static final Duration GRACE = Duration.ofSeconds(5);

  private static final String ACCESS_SECRET = "multi-node-access-secret-at-least-32-bytes";
  private static final String REFRESH_SECRET = "multi-node-refresh-secret-at-least-32-bytes";

  private final String name;
  private final CapturingListener listener;
  private final AtomicInteger reauthCalls;
  private final RedisRefreshTokenStore store;
  private final TestApp app;

  private AppNode(
      String name,
      CapturingListener listener,
      AtomicInteger reauthCalls,
      RedisRefreshTokenStore store,
      TestApp app) {
    this.name = name;
    this.listener = listener;
    this.reauthCalls = reauthCalls;
    this.store = store;
    this.app = app;
  }

  /** A node's settings beyond the shared ones. */
  record Options(boolean checkAccessRevocation, Duration commandTimeout) {
    static Options defaults() {
      return new Options(
          false, Duration.ofMillis(RedisRefreshTokenStore.DEFAULT_COMMAND_TIMEOUT_MILLIS));
    }

    Options checkingAccessRevocation() {
      return new Options(true, commandTimeout);
    }

    Options withCommandTimeout(Duration timeout) {
      return new Options(checkAccessRevocation, timeout);
    }
  }

  /**
   * Builds this node's store and engine from scratch and starts its app on a free loopback port.
   */
  static AppNode start(String name, String redisUri, Clock clock, Options options)
      throws Exception {
    return start(name, store -> store.uri(redisUri), clock, options);
  }

  /**
   * As {@link #start(String, String, Clock, Options)}, with the store pointed by {@code target}.
   */
  static AppNode start(
      String name,
      java.util.function.Consumer<RedisRefreshTokenStore.Builder> target,
      Clock clock,
      Options options)
      throws Exception {
    RedisRefreshTokenStore.Builder builder = RedisRefreshTokenStore.builder();
    target.accept(builder);
    RedisRefreshTokenStore store =
        builder.keyPrefix(KEY_PREFIX).commandTimeout(options.commandTimeout()).build();
    AtomicInteger reauthCalls = new AtomicInteger();
    CapturingListener listener = new CapturingListener();
    try {
      JwtSession engine =
          JwtSession.builder()
              .access(
                  t ->
                      t.cookieName("app_session")
                          .maxAge(ACCESS_LIFETIME)
                          .secure(false)
                          .secret(ACCESS_SECRET))
              .refresh(
                  t ->
                      t.cookieName("app_refresh")
                          .maxAge(REFRESH_LIFETIME)
                          .secure(false)
                          .secret(REFRESH_SECRET))
              .reauth(
                  refresh -> {
                    reauthCalls.incrementAndGet();
                    pause(); // a user lookup takes a moment: concurrent requests overlap it
                    return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
                  })
              .rotation(
                  r ->
                      r.store(store)
                          .reuseGrace(GRACE)
                          .checkAccessRevocation(options.checkAccessRevocation()))
              .clock(clock)
              .listener(listener)
              .build();
      return new AppNode(name, listener, reauthCalls, store, TestApp.start(engine));
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  /** The events this node's engine reported, e.g. {@code rejected:REFRESH:STORE_UNAVAILABLE}. */
  CapturingListener events() {
    return listener;
  }

  /** This node's store client, for tests that also look at the store directly. */
  RedisRefreshTokenStore store() {
    return store;
  }

  /** How often this node's engine called its {@code Reauth}. */
  int reauths() {
    return reauthCalls.get();
  }

  /** The absolute URL of {@code path} on this node, e.g. {@code http://127.0.0.1:41234/me}. */
  String url(String path) {
    return app.url() + path;
  }

  @Override
  public void close() {
    try {
      app.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("could not stop " + this, e);
    } finally {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "node " + name;
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
