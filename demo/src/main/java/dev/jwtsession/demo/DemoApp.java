package dev.jwtsession.demo;

import dev.jwtsession.JwtSession;
import dev.jwtsession.spi.RefreshTokenStore;
import java.time.Clock;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jwt-session demo: an embedded Jetty on {@code http://127.0.0.1:8080} with two users, the
 * servlet filter, refresh-token rotation and "log out everywhere". Configured through environment
 * variables; see {@link DemoConfig}.
 *
 * <pre>{@code
 * mvn -q -pl demo -am package -DskipTests && java -jar demo/target/jwt-session-demo.jar
 * }</pre>
 */
public final class DemoApp {

  private static final Logger LOG = LoggerFactory.getLogger(DemoApp.class);

  private DemoApp() {}

  /** Starts the demo from the process environment and runs until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    RunningDemo demo;
    try {
      demo = start(DemoConfig.fromEnv(System.getenv()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("jwt-session demo did not start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "jwt-session-demo-shutdown"));
    demo.join();
  }

  /** Starts the demo on the system clock. */
  public static RunningDemo start(DemoConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * Starts the demo with the given clock, which decides every token time; tests pass one they
   * advance instead of sleeping.
   *
   * @throws IllegalArgumentException when the configuration is unusable (the message names the
   *     variable)
   * @throws IllegalStateException when the server cannot listen (e.g. the port is taken)
   */
  public static RunningDemo start(DemoConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Users users = Users.demo();
    RefreshTokenStore store = StoreChoice.forConfig(config);
    JwtSession engine;
    try {
      engine = Engine.build(config, users, clock, store);
    } catch (RuntimeException e) {
      closeQuietly(store);
      throw e;
    }
    if (config.secretsGenerated()) {
      LOG.warn(
          "{} and/or {} not set: using random secrets, so sessions will not survive a restart",
          DemoConfig.ACCESS_SECRET,
          DemoConfig.REFRESH_SECRET);
    }
    Server server = DemoServer.create(config.port(), engine, users, clock);
    try {
      server.start();
    } catch (Exception e) { // Jetty's start() declares Exception
      stopQuietly(server);
      closeQuietly(store);
      throw new IllegalStateException(
          "cannot listen on "
              + DemoServer.HOST
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "); choose another port with "
              + DemoConfig.PORT,
          e);
    }
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    RunningDemo demo = new RunningDemo(server, port, store);
    LOG.info(
        "jwt-session demo listening on http://{}:{} (users: alice/alice-password, "
            + "bob/bob-password)",
        DemoServer.HOST,
        port);
    return demo;
  }

  private static void closeQuietly(RefreshTokenStore store) {
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) { // already failing; the start error is the one to report
        // nothing more to do
      }
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ignored) { // already failing; the start error is the one to report
      // nothing more to do
    }
  }
}
