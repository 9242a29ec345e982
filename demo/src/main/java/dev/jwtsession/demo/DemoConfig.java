package dev.jwtsession.demo;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's settings, read from environment variables. Every variable is optional; a value that is
 * set but unusable fails {@link #fromEnv} with a message naming the variable.
 *
 * <p>Secret length is deliberately not checked here: the engine's builder checks it and its message
 * is the one the user sees. {@link #toString()} never prints a secret.
 */
public final class DemoConfig {

  public static final String PORT = "PORT";
  public static final String ACCESS_SECRET = "JWT_SESSION_ACCESS_SECRET";
  public static final String REFRESH_SECRET = "JWT_SESSION_REFRESH_SECRET";
  public static final String ACCESS_MAX_AGE = "JWT_SESSION_ACCESS_MAX_AGE";
  public static final String REFRESH_MAX_AGE = "JWT_SESSION_REFRESH_MAX_AGE";
  public static final String ACCESS_COOKIE = "JWT_SESSION_ACCESS_COOKIE";
  public static final String REFRESH_COOKIE = "JWT_SESSION_REFRESH_COOKIE";
  public static final String SECURE_COOKIES = "JWT_SESSION_SECURE_COOKIES";
  public static final String REUSE_GRACE_SECONDS = "JWT_SESSION_REUSE_GRACE_SECONDS";
  public static final String REDIS_URL = "JWT_SESSION_REDIS_URL";
  public static final String SEED_INTEROP = "JWT_SESSION_SEED_INTEROP";
  public static final String REDIS_CLUSTER_NODES = "JWT_SESSION_REDIS_CLUSTER_NODES";

  static final int DEFAULT_PORT = 8080;
  static final long DEFAULT_ACCESS_MAX_AGE = 60;
  static final long DEFAULT_REFRESH_MAX_AGE = 604_800;
  static final String DEFAULT_ACCESS_COOKIE = "jwt_session_access";
  static final String DEFAULT_REFRESH_COOKIE = "jwt_session_refresh";
  static final long DEFAULT_REUSE_GRACE_SECONDS = 5;

  /** Random secrets are as long as the shortest secret HS256 accepts. */
  private static final int GENERATED_SECRET_BYTES = 32;

  private final int port;
  private final byte[] accessSecret;
  private final byte[] refreshSecret;
  private final boolean secretsGenerated;
  private final Duration accessMaxAge;
  private final Duration refreshMaxAge;
  private final String accessCookie;
  private final String refreshCookie;
  private final boolean secureCookies;
  private final Duration reuseGrace;
  private final String redisUrl;
  private final boolean seedInterop;
  private final List<String> clusterNodes;

  private DemoConfig(Reader env, SecureRandom random) {
    port = (int) env.integer(PORT, DEFAULT_PORT, 0, 65_535);
    String accessText = env.text(ACCESS_SECRET, null);
    String refreshText = env.text(REFRESH_SECRET, null);
    accessSecret = accessText == null ? randomBytes(random) : utf8(accessText);
    refreshSecret = refreshText == null ? randomBytes(random) : utf8(refreshText);
    secretsGenerated = accessText == null || refreshText == null;
    accessMaxAge =
        Duration.ofSeconds(
            env.integer(ACCESS_MAX_AGE, DEFAULT_ACCESS_MAX_AGE, 1, Integer.MAX_VALUE));
    refreshMaxAge =
        Duration.ofSeconds(
            env.integer(REFRESH_MAX_AGE, DEFAULT_REFRESH_MAX_AGE, 1, Integer.MAX_VALUE));
    accessCookie = env.text(ACCESS_COOKIE, DEFAULT_ACCESS_COOKIE);
    refreshCookie = env.text(REFRESH_COOKIE, DEFAULT_REFRESH_COOKIE);
    secureCookies = env.bool(SECURE_COOKIES, false);
    reuseGrace =
        Duration.ofSeconds(env.integer(REUSE_GRACE_SECONDS, DEFAULT_REUSE_GRACE_SECONDS, 0, 300));
    redisUrl = env.text(REDIS_URL, null);
    seedInterop = env.bool(SEED_INTEROP, false);
    if (seedInterop && secretsGenerated) {
      env.problem(
          SEED_INTEROP
              + ": needs "
              + ACCESS_SECRET
              + " and "
              + REFRESH_SECRET
              + " (the two secrets the SvelteKit side signs with); random secrets would share "
              + "nothing");
    }
    clusterNodes = env.nodes(REDIS_CLUSTER_NODES);
    if (redisUrl != null && !clusterNodes.isEmpty()) {
      env.problem(
          REDIS_URL
              + " and "
              + REDIS_CLUSTER_NODES
              + ": both are set. Set "
              + REDIS_URL
              + " for one Redis (redis://) or Sentinel (redis-sentinel://), or "
              + REDIS_CLUSTER_NODES
              + " for a Redis Cluster, not both");
    }
    env.failIfProblems();
  }

  /**
   * Reads the settings from {@code env} (for the real program {@link System#getenv()}). Unset and
   * empty variables take their defaults; a missing secret becomes 32 random bytes.
   *
   * @throws IllegalArgumentException naming every variable whose value is unusable
   */
  public static DemoConfig fromEnv(Map<String, String> env) {
    return new DemoConfig(new Reader(Objects.requireNonNull(env, "env")), new SecureRandom());
  }

  /** The port to listen on; 0 picks a free one. */
  public int port() {
    return port;
  }

  byte[] accessSecret() {
    return accessSecret.clone();
  }

  byte[] refreshSecret() {
    return refreshSecret.clone();
  }

  /** Whether a secret was generated at start, so sessions will not survive a restart. */
  /** Whether the SvelteKit hook's own cookies are accepted ({@code svelteKitInterop}). */
  public boolean seedInterop() {
    return seedInterop;
  }

  public boolean secretsGenerated() {
    return secretsGenerated;
  }

  public Duration accessMaxAge() {
    return accessMaxAge;
  }

  public Duration refreshMaxAge() {
    return refreshMaxAge;
  }

  public String accessCookie() {
    return accessCookie;
  }

  public String refreshCookie() {
    return refreshCookie;
  }

  public boolean secureCookies() {
    return secureCookies;
  }

  public Duration reuseGrace() {
    return reuseGrace;
  }

  /** The Redis URL when {@value #REDIS_URL} is set, else {@code null}. */
  String redisUrlOrNull() {
    return redisUrl;
  }

  /**
   * The cluster's seed nodes as {@code redis://host:port} URLs from {@value #REDIS_CLUSTER_NODES},
   * empty when it is not set.
   */
  List<String> clusterNodes() {
    return clusterNodes;
  }

  /** Whether sessions live in Redis (one server, Sentinel or cluster) rather than in memory. */
  boolean usesRedis() {
    return redisUrl != null || !clusterNodes.isEmpty();
  }

  /** Every setting but the secrets and the Redis URL (which may hold a password). */
  @Override
  public String toString() {
    return "DemoConfig[port="
        + port
        + ", accessMaxAge="
        + accessMaxAge
        + ", refreshMaxAge="
        + refreshMaxAge
        + ", accessCookie="
        + accessCookie
        + ", refreshCookie="
        + refreshCookie
        + ", secureCookies="
        + secureCookies
        + ", reuseGrace="
        + reuseGrace
        + ", secrets="
        + (secretsGenerated ? "generated" : "from environment")
        + ", store="
        + (!clusterNodes.isEmpty() ? "redis-cluster" : redisUrl == null ? "in-memory" : "redis")
        + (seedInterop ? ", seedInterop=on" : "")
        + "]";
  }

  private static byte[] randomBytes(SecureRandom random) {
    byte[] bytes = new byte[GENERATED_SECRET_BYTES];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads variables and collects every problem, so one start reports them all. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String text(String name, String fallback) {
      String value = env.get(name);
      return value == null || value.isEmpty() ? fallback : value;
    }

    long integer(String name, long fallback, long min, long max) {
      String value = text(name, null);
      if (value == null) {
        return fallback;
      }
      try {
        long number = Long.parseLong(value.trim());
        if (number >= min && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(name + ": '" + value + "' is not a whole number between " + min + " and " + max);
      return fallback;
    }

    boolean bool(String name, boolean fallback) {
      String value = text(name, null);
      if (value == null) {
        return fallback;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> {
          problems.add(name + ": '" + value + "' is not true or false");
          yield fallback;
        }
      };
    }

    void problem(String text) {
      problems.add(text);
    }

    /** A comma-separated list of host:port (or redis:// URLs), as redis:// URLs. */
    List<String> nodes(String name) {
      String value = text(name, null);
      List<String> nodes = new ArrayList<>();
      if (value == null) {
        return nodes;
      }
      for (String part : value.split(",", -1)) {
        String node = part.trim();
        String hostPort = node.contains("://") ? node.substring(node.indexOf("://") + 3) : node;
        int colon = hostPort.lastIndexOf(':');
        boolean valid = colon > 0 && colon < hostPort.length() - 1;
        if (valid) {
          try {
            int port = Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*$", ""));
            valid = port > 0 && port <= 65_535;
          } catch (NumberFormatException e) {
            valid = false;
          }
        }
        if (!valid) {
          problems.add(
              name
                  + ": '"
                  + (node.contains("@") ? "***" + node.substring(node.lastIndexOf('@')) : node)
                  + "' is not host:port. Give the seed nodes as host:port,host:port,...");
          continue;
        }
        nodes.add(node.contains("://") ? node : "redis://" + node);
      }
      return List.copyOf(nodes);
    }

    void failIfProblems() {
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid demo configuration:\n  - " + String.join("\n  - ", problems));
      }
    }
  }
}
