package dev.jwtsession.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Sentinel deployment on loopback ports, for tests: one master, one replica and three
 * Sentinels (quorum 2) watching them, each a {@code redis-server} process ({@code --sentinel} for
 * the Sentinels).
 */
public final class RedisSentinelProcess implements AutoCloseable {

  /** The name the Sentinels know the master by. */
  public static final String MASTER_NAME = "mymaster";

  private static final Duration READY = Duration.ofSeconds(30);

  private final Path dir;
  private RedisServerProcess master;
  private RedisServerProcess replica;
  private final List<RedisServerProcess> sentinels = new ArrayList<>();

  private RedisSentinelProcess(Path dir) {
    this.dir = dir;
  }

  /** Starts the master, its replica and three Sentinels; returns once they all know each other. */
  public static RedisSentinelProcess start() {
    RedisSentinelProcess deployment;
    try {
      deployment = new RedisSentinelProcess(Files.createTempDirectory("jwt-session-sentinel"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      Path dir = deployment.dir;
      int masterPort = RedisServerProcess.freePort();
      deployment.master =
          RedisServerProcess.startWith(
              masterPort, Files.createDirectories(dir.resolve("master")), List.of());
      deployment.replica =
          RedisServerProcess.startWith(
              RedisServerProcess.freePort(),
              Files.createDirectories(dir.resolve("replica")),
              List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
      for (int i = 0; i < 3; i++) {
        int port = RedisServerProcess.freePort();
        Path sentinelDir = Files.createDirectories(dir.resolve("sentinel-" + i));
        Path config = sentinelDir.resolve("sentinel.conf");
        Files.writeString(
            config,
            String.join(
                "\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + sentinelDir.toAbsolutePath(),
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000",
                ""),
            StandardCharsets.UTF_8);
        deployment.sentinels.add(RedisServerProcess.startSentinel(port, config));
      }
      deployment.awaitReady();
      return deployment;
    } catch (IOException | RuntimeException e) {
      deployment.close();
      throw new IllegalStateException("cannot start a Sentinel deployment", e);
    }
  }

  /** The {@code redis-sentinel://} URL naming the three Sentinels and the master. */
  public String uri() {
    StringBuilder uri = new StringBuilder("redis-sentinel://");
    for (int i = 0; i < sentinels.size(); i++) {
      uri.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinels.get(i).port());
    }
    return uri.append("/0#").append(MASTER_NAME).toString();
  }

  /** The master's port as the Sentinels report it now. */
  public int masterPort() {
    for (RedisServerProcess sentinel : sentinels) {
      if (sentinel.isAlive()) {
        String[] address =
            RedisClusterProcess.cli(
                    sentinel.port(), "sentinel", "get-master-addr-by-name", MASTER_NAME)
                .trim()
                .split("\\s+");
        return Integer.parseInt(address[address.length - 1]);
      }
    }
    throw new IllegalStateException("no Sentinel runs");
  }

  /**
   * Kills the master with SIGKILL and returns once the Sentinels name the replica as the new master
   * and it accepts writes.
   */
  public void killMasterAndAwaitPromotion() {
    int old = master.port();
    master.kill();
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (masterPort() == replica.port()
          && RedisClusterProcess.cli(replica.port(), "role").startsWith("master")) {
        return;
      }
      RedisClusterProcess.pause(100);
    }
    throw new IllegalStateException("the Sentinels did not promote the replica of " + old);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (RedisServerProcess sentinel : sentinels) {
        last = RedisClusterProcess.cli(sentinel.port(), "sentinel", "master", MASTER_NAME);
        if (!last.matches("(?s).*num-slaves\\s+1\\s.*")
            || !last.matches("(?s).*num-other-sentinels\\s+2\\s.*")) {
          ready = false;
          break;
        }
      }
      if (ready
          && RedisClusterProcess.cli(replica.port(), "info", "replication")
              .contains("master_link_status:up")) {
        return;
      }
      RedisClusterProcess.pause(100);
    }
    throw new IllegalStateException(
        "the Sentinels did not see the replica and each other: " + last);
  }

  @Override
  public void close() {
    for (RedisServerProcess sentinel : sentinels) {
      sentinel.close();
    }
    if (replica != null) {
      replica.close();
    }
    if (master != null) {
      master.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
