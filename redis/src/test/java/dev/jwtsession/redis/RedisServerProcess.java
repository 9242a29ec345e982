package dev.jwtsession.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a free loopback port, without persistence, for
 * tests.
 *
 * <p>Fails (never skips) when {@code redis-server} is not installed, saying how to install it.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(10);

  private final String executable;
  private final int port;

  /** Where the append-only file lives, or null for a server that forgets everything when killed. */
  private final Path dataDir;

  /** Further {@code redis-server} arguments (cluster or replica settings). */
  private final List<String> extraArgs;

  private Process process;

  private RedisServerProcess(String executable, int port, Path dataDir) {
    this(executable, port, dataDir, List.of());
  }

  private RedisServerProcess(String executable, int port, Path dataDir, List<String> extraArgs) {
    this.executable = executable;
    this.port = port;
    this.dataDir = dataDir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts {@code redis-server} on {@code port} with these further arguments, its working directory
   * (cluster and Sentinel state files) in {@code dir}; returns once it answers PING.
   */
  static RedisServerProcess startWith(int port, Path dir, List<String> extraArgs) {
    List<String> args = new ArrayList<>(List.of("--dir", dir.toAbsolutePath().toString()));
    args.addAll(extraArgs);
    RedisServerProcess server = new RedisServerProcess(findExecutable(), port, null, args);
    server.startProcess();
    return server;
  }

  /**
   * Starts {@code redis-server <config> --sentinel}; the configuration names the port, the bind
   * address, the directory and the monitored master. Returns once the Sentinel answers PING.
   */
  static RedisServerProcess startSentinel(int port, Path config) {
    RedisServerProcess sentinel =
        new RedisServerProcess(
            findExecutable(), port, null, List.of("@sentinel", config.toAbsolutePath().toString()));
    sentinel.startProcess();
    return sentinel;
  }

  /** Whether the process still runs (false after {@link #kill()}). */
  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Starts {@code redis-server} on a free port and returns once it answers PING. */
  public static RedisServerProcess start() {
    RedisServerProcess server = new RedisServerProcess(findExecutable(), freePort(), null);
    server.startProcess();
    return server;
  }

  /**
   * Starts {@code redis-server} with an append-only file in {@code dataDir}, synced on every write,
   * so a {@link #restart()} after a {@link #kill()} comes back with every key, as a production
   * Redis with AOF persistence does.
   */
  public static RedisServerProcess startPersistent(Path dataDir) {
    RedisServerProcess server = new RedisServerProcess(findExecutable(), freePort(), dataDir);
    server.startProcess();
    return server;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts the server again on the same port (after {@link #kill()}): empty, or for a {@linkplain
   * #startPersistent persistent} one with the keys it had.
   */
  public void restart() {
    startProcess();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  private void startProcess() {
    try {
      List<String> command =
          !extraArgs.isEmpty() && extraArgs.get(0).equals("@sentinel")
              ? new ArrayList<>(List.of(executable, extraArgs.get(1), "--sentinel"))
              : new ArrayList<>(
                  List.of(
                      executable,
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--protected-mode",
                      "yes"));
      boolean sentinel = command.contains("--sentinel"); // all in its configuration file
      if (!sentinel && dataDir == null) {
        command.addAll(List.of("--appendonly", "no"));
        command.addAll(extraArgs);
      } else if (!sentinel) {
        command.addAll(
            List.of(
                "--dir", dataDir.toAbsolutePath().toString(),
                "--appendonly", "yes",
                "--appendfsync", "always"));
      }
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable, e);
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + " on port " + port);
      }
      if (answersPing()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("redis-server did not answer PING within " + STARTUP);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** A free loopback port whose cluster bus port (port + 10000) is free as well. */
  static int freeClusterPort() {
    for (int i = 0; i < 100; i++) {
      int port = freePort();
      if (port + 10_000 < 65_536 && isFree(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port pair for a cluster node");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String findExecutable(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new IllegalStateException(
        name
            + " is not on the PATH, and the Redis cluster tests need a real one. Install it"
            + " (Debian/Ubuntu: apt-get install redis-server redis-tools; macOS: brew install"
            + " redis) and run the build again.");
  }

  private static String findExecutable() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "redis-server is not on the PATH, and the Redis store tests need a real one. Install it"
            + " (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run"
            + " the build again.");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }
}
