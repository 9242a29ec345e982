package dev.jwtsession.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis Cluster of three masters and three replicas on loopback ports, for tests: six {@code
 * redis-server} processes with {@code cluster-enabled yes}, joined by {@code redis-cli --cluster
 * create --cluster-replicas 1 --cluster-yes}. Start it once per test class: creating it takes a few
 * seconds.
 */
public final class RedisClusterProcess implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(30);

  private final Path dir;
  private final List<RedisServerProcess> nodes = new ArrayList<>();
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> admin;

  private RedisClusterProcess(Path dir) {
    this.dir = dir;
  }

  /** Starts six nodes, creates the cluster and returns once every node reports it healthy. */
  public static RedisClusterProcess start() {
    Path dir;
    try {
      dir = Files.createTempDirectory("jwt-session-cluster");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    RedisClusterProcess cluster = new RedisClusterProcess(dir);
    try {
      List<String> create =
          new ArrayList<>(
              List.of(RedisServerProcess.findExecutable("redis-cli"), "--cluster", "create"));
      for (int i = 0; i < 6; i++) {
        int port = RedisServerProcess.freeClusterPort();
        Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
        cluster.nodes.add(
            RedisServerProcess.startWith(
                port,
                nodeDir,
                List.of(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    // Short, so the failover tests see a replica promoted within seconds.
                    "--cluster-node-timeout", "2000",
                    "--cluster-replica-validity-factor", "0")));
        create.add("127.0.0.1:" + port);
      }
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      run(create);
      cluster.awaitHealthy();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw new IllegalStateException("cannot start a Redis Cluster", e);
    }
  }

  /** The seed URLs of every node, as {@code redis://127.0.0.1:port}. */
  public List<String> seeds() {
    List<String> seeds = new ArrayList<>();
    for (RedisServerProcess node : nodes) {
      seeds.add(node.uri());
    }
    return seeds;
  }

  /** A cluster client on these nodes, for the test's own look at the keys. */
  public RedisClusterClient newClient() {
    List<RedisURI> uris = new ArrayList<>();
    for (String seed : seeds()) {
      uris.add(RedisURI.create(seed));
    }
    return RedisClusterClient.create(uris);
  }

  /** The test's own cluster client on these nodes, made once and closed with the cluster. */
  public synchronized RedisClusterClient client() {
    if (client == null) {
      client = newClient();
    }
    return client;
  }

  /** A connection of {@link #client()}, for the test's own look at slots and keys. */
  public synchronized StatefulRedisClusterConnection<String, String> admin() {
    if (admin == null) {
      admin = client().connect();
    }
    return admin;
  }

  /** Deletes every key on every master (and so on every replica). */
  public void flushAll() {
    for (RedisServerProcess node : nodes) {
      if (node.isAlive() && cli(node.port(), "role").startsWith("master")) {
        cli(node.port(), "flushall");
      }
    }
  }

  /** The node process that listens on {@code port}. */
  RedisServerProcess node(int port) {
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
  }

  /** The current master of the slot this key hashes to, as the cluster reports it. */
  static RedisClusterNode masterOf(StatefulRedisClusterConnection<String, String> admin, int slot) {
    admin.getPartitions().updateCache();
    return admin.getPartitions().getPartitionBySlot(slot);
  }

  /**
   * Waits until every running node reports {@code cluster_state:ok} and knows all six nodes, and
   * every replica's link to its master is up (so a {@code WAIT} can be acknowledged).
   */
  public void awaitHealthy() {
    long deadline = System.nanoTime() + READY.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean healthy = true;
      for (RedisServerProcess node : nodes) {
        if (!node.isAlive()) {
          continue;
        }
        last = cli(node.port(), "cluster", "info");
        String members = cli(node.port(), "cluster", "nodes");
        if (!last.contains("cluster_state:ok")
            || countOf(members, "master") != 3
            || countOf(members, "slave") != 3
            || (cli(node.port(), "role").startsWith("slave")
                && !cli(node.port(), "info", "replication").contains("master_link_status:up"))) {
          healthy = false;
          break;
        }
      }
      if (healthy) {
        return;
      }
      pause(100);
    }
    throw new IllegalStateException("the cluster did not become healthy: " + last);
  }

  private static int countOf(String clusterNodes, String role) {
    int count = 0;
    for (String line : clusterNodes.split("\n")) {
      if (line.contains(role) && !line.contains("fail")) {
        count++;
      }
    }
    return count;
  }

  /**
   * Kills the master on {@code port} with SIGKILL and returns once its replica has been promoted:
   * every live node marks the killed one failed and reports {@code cluster_state:ok} with three
   * masters that are not failed. (Right after the kill the others still count it as a healthy
   * master until the node timeout has passed; that is not a promotion.)
   */
  public void killMasterAndAwaitPromotion(int port) {
    node(port).kill();
    long deadline = System.nanoTime() + READY.toNanos();
    String last = "";
    String killed = "127.0.0.1:" + port + "@";
    while (System.nanoTime() < deadline) {
      boolean promoted = true;
      for (RedisServerProcess node : nodes) {
        if (!node.isAlive()) {
          continue;
        }
        last = cli(node.port(), "cluster", "info");
        String members = cli(node.port(), "cluster", "nodes");
        boolean killedFailed =
            members
                .lines()
                .anyMatch(line -> line.contains(killed) && line.matches(".*[ ,]fail[ ,].*"));
        if (!last.contains("cluster_state:ok")
            || !killedFailed
            || countOf(members, "master") != 3) {
          promoted = false;
          break;
        }
      }
      if (promoted) {
        return;
      }
      pause(100);
    }
    throw new IllegalStateException("no replica was promoted: " + last);
  }

  /**
   * Moves {@code slots} slots from the master on {@code fromPort} to the master on {@code toPort}
   * with {@code redis-cli --cluster reshard} (MIGRATE key by key, clients redirected with ASK and
   * MOVED meanwhile).
   */
  public void reshard(int fromPort, int toPort, int slots) {
    String from = cli(fromPort, "cluster", "myid").trim();
    String to = cli(toPort, "cluster", "myid").trim();
    run(
        List.of(
            RedisServerProcess.findExecutable("redis-cli"),
            "--cluster",
            "reshard",
            "127.0.0.1:" + fromPort,
            "--cluster-from",
            from,
            "--cluster-to",
            to,
            "--cluster-slots",
            Integer.toString(slots),
            "--cluster-yes"));
  }

  /**
   * Moves {@code slot} with its keys from the master on {@code fromPort} to the master on {@code
   * toPort} the way {@code redis-cli --cluster reshard} moves each slot: {@code CLUSTER SETSLOT
   * IMPORTING} on the target, {@code MIGRATING} on the source, {@code MIGRATE} of its keys (clients
   * asking for a key already moved get {@code ASK}), then {@code SETSLOT NODE} on every master (the
   * others' clients get {@code MOVED}).
   */
  public void moveSlot(int fromPort, int toPort, int slot) {
    beginSlotMove(fromPort, toPort, slot);
    finishSlotMove(fromPort, toPort, slot);
  }

  /**
   * The first half of {@link #moveSlot}: the slot is {@code IMPORTING} on the target and {@code
   * MIGRATING} on the source, its keys still on the source (Redis would answer {@code TRYAGAIN} to
   * a command on several keys of the slot of which only some exist there; the store sends none).
   */
  public void beginSlotMove(int fromPort, int toPort, int slot) {
    String from = cli(fromPort, "cluster", "myid").trim();
    String to = cli(toPort, "cluster", "myid").trim();
    String s = Integer.toString(slot);
    ok(cli(toPort, "cluster", "setslot", s, "importing", from));
    ok(cli(fromPort, "cluster", "setslot", s, "migrating", to));
  }

  /** The second half of {@link #moveSlot}: moves the slot's keys and hands the slot over. */
  public void finishSlotMove(int fromPort, int toPort, int slot) {
    migrateKeys(fromPort, toPort, slot);
    String to = cli(toPort, "cluster", "myid").trim();
    String s = Integer.toString(slot);
    ok(cli(toPort, "cluster", "setslot", s, "node", to));
    ok(cli(fromPort, "cluster", "setslot", s, "node", to));
    for (RedisServerProcess node : nodes) {
      if (node.isAlive()
          && node.port() != fromPort
          && node.port() != toPort
          && cli(node.port(), "role").startsWith("master")) {
        ok(cli(node.port(), "cluster", "setslot", s, "node", to));
      }
    }
  }

  /**
   * Moves every key of a slot that {@link #beginSlotMove} put in migration to the target ({@code
   * MIGRATE}), leaving the slot migrating: clients asking the source for a moved key get {@code
   * ASK}.
   */
  public void migrateKeys(int fromPort, int toPort, int slot) {
    String s = Integer.toString(slot);
    while (true) {
      List<String> keys =
          cli(fromPort, "cluster", "getkeysinslot", s, "100")
              .lines()
              .filter(line -> !line.isBlank())
              .toList();
      if (keys.isEmpty()) {
        break;
      }
      List<String> migrate =
          new ArrayList<>(
              List.of("migrate", "127.0.0.1", Integer.toString(toPort), "", "0", "5000", "KEYS"));
      migrate.addAll(keys);
      ok(cli(fromPort, migrate.toArray(String[]::new)));
    }
  }

  private static void ok(String reply) {
    if (!reply.trim().equals("OK")) {
      throw new IllegalStateException("redis answered: " + reply.trim());
    }
  }

  /** Runs {@code redis-cli -p port args...} and returns what it printed. */
  static String cli(int port, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                RedisServerProcess.findExecutable("redis-cli"),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            command + " exited with " + process.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    for (RedisServerProcess node : nodes) {
      node.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
