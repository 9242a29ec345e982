package dev.jwtsession.redis;

import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.SessionListener;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RotationRequest;
import dev.jwtsession.spi.RotationResult;
import dev.jwtsession.spi.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link RefreshTokenStore} on Redis (through Lettuce), shared by every application node that
 * points at the same Redis.
 *
 * <pre>{@code
 * try (RedisRefreshTokenStore store = RedisRefreshTokenStore.builder()
 *     .uri("redis://redis.internal:6379")
 *     .build()) {
 *   // JwtSession.builder() ... .store(store) ...
 * }
 * }</pre>
 *
 * <h2>What it keeps</h2>
 *
 * <ul>
 *   <li>{@code <prefix>family:{<familyId>}}: a hash with the newest jti ({@code cur}) and when it
 *       was issued ({@code rot}), the jti it replaced ({@code prev}) and when that one was issued
 *       ({@code prot}), the jti before ({@code pprev}), the idle expiry ({@code exp}) and the
 *       absolute expiry ({@code abs}), times in epoch milliseconds. Identifiers and instants only:
 *       no token is ever stored (version 1 kept the successor pair in {@code
 *       <prefix>family:{<familyId>}:successor} for the grace window; version 2 never names that
 *       key, so every command touches one key and a migrating Cluster slot never answers {@code
 *       TRYAGAIN}). Redis deletes the hash physically {@link Builder#expiryMargin the margin} after
 *       its idle expiry: a rotation sets a relative time-to-live ({@code exp - now + margin}, both
 *       engine times), so Redis's clock is never compared with an engine instant; registration sets
 *       {@code PEXPIREAT exp + margin}, which needs the engine clocks within the margin of Redis's.
 *   <li>{@code <prefix>subject:{<subject>}}: a sorted set of the subject's family ids scored by
 *       their absolute expiry, for {@link #revokeSubject}. Each login prunes the members whose
 *       absolute expiry plus the margin has passed, and keeps at most {@link
 *       Builder#maxFamiliesPerSubject} members (default {@value
 *       #DEFAULT_MAX_FAMILIES_PER_SUBJECT}): beyond it the subject's oldest families are revoked
 *       and reported to {@link Builder#listener}. The set expires with its last family plus the
 *       margin. A family revoked by logout stays a member until its absolute expiry (revoking one
 *       family does not know its subject), so it counts towards the cap until then.
 * </ul>
 *
 * The braces are Redis Cluster hash tags: the keys of one family share a slot, so each script
 * touches one slot. Every expiry is decided against the {@code now} the engine passes, at
 * millisecond precision (rounded down, so a family expires at most one millisecond early, never
 * late).
 *
 * <h2>Cost</h2>
 *
 * One refresh costs one {@code EVALSHA} (the rotation script, atomic on the server). {@link
 * #isActive} is one {@code HMGET}. A login is two pipelined {@code EVALSHA} (plus one {@code DEL}
 * per family the cap evicts); a logout one {@code DEL}; "log out everywhere" one {@code ZRANGE},
 * one pipelined {@code EVALSHA} per family and one {@code ZREM} per page of {@value #REVOKE_PAGE}.
 *
 * <h2>When Redis is unreachable</h2>
 *
 * Every method throws {@link StoreUnavailableException} (never another exception type) within the
 * {@linkplain Builder#commandTimeout command timeout}; the engine then refuses refreshes (fail
 * closed). Failures are logged through {@link System.Logger} at most once per {@value
 * #LOG_INTERVAL_SECONDS} seconds. The store recovers by itself when Redis answers again, including
 * when Redis was down when the store was built.
 *
 * <p>Thread-safe. {@link #close()} releases only what the store created.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore, AutoCloseable {

  /** The key prefix used unless {@link Builder#keyPrefix} says otherwise. */
  public static final String DEFAULT_KEY_PREFIX = "jwt-session:";

  /**
   * The command timeout in milliseconds used unless {@link Builder#commandTimeout} says otherwise.
   */
  public static final long DEFAULT_COMMAND_TIMEOUT_MILLIS = 500;

  /**
   * The physical expiry margin in seconds used unless {@link Builder#expiryMargin} says otherwise.
   */
  public static final long DEFAULT_EXPIRY_MARGIN_SECONDS = 60;

  /** The per-subject cap used unless {@link Builder#maxFamiliesPerSubject} says otherwise. */
  public static final int DEFAULT_MAX_FAMILIES_PER_SUBJECT = 50;

  /** How many families "log out everywhere" revokes per pipelined page. */
  public static final int REVOKE_PAGE = 100;

  /** At most one failure line per this many seconds. */
  public static final long LOG_INTERVAL_SECONDS = 10;

  /** How often the store re-reads a cluster's slot map when no command ran into a change. */
  public static final long CLUSTER_REFRESH_SECONDS = 30;

  /** The least time a background connect may take (request threads never wait for it). */
  private static final Duration MIN_CONNECT_BUDGET = Duration.ofSeconds(2);

  /** How long to wait between two attempts to open the first connection. */
  private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final String keyPrefix;
  private final int maxFamiliesPerSubject;
  private final SessionListener listener;
  private final long timeoutNanos;
  private final long marginMillis;
  private final String target;
  private final FailureLog failures;

  /** Set when the store opens its connection itself; null when one was supplied. */
  private final RedisClient client;

  /** Set when the store runs on a Redis Cluster it connects to itself; else null. */
  private final RedisClusterClient clusterClient;

  /** Replicas that must acknowledge a revocation (0: no WAIT). */
  private final int durableReplicas;

  private final long durableTimeoutMillis;

  private final RedisURI uri;
  private final boolean ownsClient;
  private final ClientResources ownResources;
  private final AtomicReference<CompletableFuture<StatefulConnection<String, String>>> attempt =
      new AtomicReference<>();
  private volatile StatefulConnection<String, String> connection;
  private final boolean ownsConnection;
  private volatile long nextConnectAttempt;
  private volatile boolean closed;

  private RedisRefreshTokenStore(Builder b) {
    this.keyPrefix = b.keyPrefix;
    this.maxFamiliesPerSubject = b.maxFamiliesPerSubject;
    this.listener = b.listener;
    this.timeoutNanos = b.commandTimeout.toNanos();
    this.marginMillis = b.expiryMargin.toMillis();
    this.durableReplicas = b.durableReplicas;
    this.durableTimeoutMillis = b.durableTimeout.toMillis();
    Duration connectBudget =
        b.commandTimeout.compareTo(MIN_CONNECT_BUDGET) > 0 ? b.commandTimeout : MIN_CONNECT_BUDGET;
    if (b.clusterClient != null || b.clusterSeeds != null) {
      this.client = null;
      this.uri = null;
      this.ownsConnection = true;
      if (b.clusterClient != null) {
        this.clusterClient = b.clusterClient;
        this.ownsClient = false;
        this.ownResources = null;
        this.target = "a supplied RedisClusterClient";
      } else {
        List<RedisURI> seeds = b.clusterSeeds;
        for (RedisURI seed : seeds) {
          seed.setTimeout(connectBudget);
        }
        this.ownResources = quickReconnect();
        this.clusterClient = RedisClusterClient.create(ownResources, seeds);
        this.clusterClient.setOptions(
            ClusterClientOptions.builder()
                .autoReconnect(true)
                // Not REJECT_COMMANDS: node connections open lazily, and a command must wait for
                // its node's first connect; the command timeout still bounds every wait.
                .socketOptions(SocketOptions.builder().connectTimeout(connectBudget).build())
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                // MOVED/ASK, failed reconnects and failovers refresh the slot map at once; a
                // periodic refresh catches what no command has run into yet.
                .topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(CLUSTER_REFRESH_SECONDS))
                        .enableAllAdaptiveRefreshTriggers()
                        // A failover takes seconds: a refresh that ran before the promotion must
                        // not block the next one for the default 30 s.
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .refreshTriggersReconnectAttempts(2)
                        .build())
                .validateClusterNodeMembership(false)
                .build());
        this.ownsClient = true;
        StringBuilder names = new StringBuilder("cluster ");
        for (RedisURI seed : seeds) {
          names.append(names.length() > 8 ? "," : "").append(seed.getHost()).append(':');
          names.append(seed.getPort());
        }
        this.target = names.toString();
      }
    } else if (b.connection != null) {
      this.clusterClient = null;
      this.client = null;
      this.uri = null;
      this.ownsClient = false;
      this.ownResources = null;
      this.connection = b.connection;
      this.ownsConnection = false;
      this.target = "a supplied connection";
    } else if (b.client != null) {
      this.clusterClient = null;
      this.client = b.client;
      this.uri = null;
      this.ownsClient = false;
      this.ownResources = null;
      this.ownsConnection = true;
      this.target = "a supplied RedisClient";
    } else {
      this.clusterClient = null;
      this.uri = b.uri;
      // The connect runs in the background (request threads only wait until their own deadline),
      // so it may take longer than one command: a slow first connect then still succeeds.
      this.uri.setTimeout(connectBudget);
      this.ownResources = quickReconnect();
      this.client = RedisClient.create(ownResources);
      this.client.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              // While disconnected, fail at once instead of queueing requests until the timeout.
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(SocketOptions.builder().connectTimeout(connectBudget).build())
              .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
              .build());
      this.ownsClient = true;
      this.ownsConnection = true;
      this.target = describe(uri);
    }
    this.failures =
        new FailureLog(
            System.getLogger(RedisRefreshTokenStore.class.getName()),
            target,
            Duration.ofSeconds(LOG_INTERVAL_SECONDS),
            System::nanoTime);
  }

  /**
   * Client resources that reconnect quickly after an outage (the default backoff grows to 30 s).
   */
  private static ClientResources quickReconnect() {
    return ClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /** host:port, or the master name and the sentinels for a Sentinel URL; never a password. */
  private static String describe(RedisURI redisUri) {
    if (redisUri.getSentinels().isEmpty()) {
      return redisUri.getHost() + ":" + redisUri.getPort();
    }
    StringBuilder names = new StringBuilder("master '" + redisUri.getSentinelMasterId() + "' via ");
    String separator = "sentinels ";
    for (RedisURI sentinel : redisUri.getSentinels()) {
      names.append(separator).append(sentinel.getHost()).append(':').append(sentinel.getPort());
      separator = ",";
    }
    return names.toString();
  }

  /**
   * Starts configuring a store; one of {@code uri}, {@code cluster}, {@code client} or {@code
   * connection} is needed.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void register(FamilyRecord family) {
    Objects.requireNonNull(family, "family");
    long deadline = deadline();
    String id = family.familyId();
    long expiresAt = family.expiresAt().toEpochMilli();
    long absolute = family.absoluteExpiry().toEpochMilli();
    List<String> evicted =
        run(
            "register",
            deadline,
            commands -> {
              // Pipelined: the index first, so a family is never live without being revocable by
              // subject.
              PendingScript index =
                  script(
                      commands,
                      Scripts.SUBJECT_ADD,
                      new String[] {subjectKey(family.subject())},
                      id,
                      Long.toString(absolute),
                      Long.toString(marginMillis),
                      Integer.toString(maxFamiliesPerSubject));
              PendingScript put =
                  script(
                      commands,
                      Scripts.REGISTER,
                      new String[] {familyKey(id)},
                      family.jti(),
                      Long.toString(expiresAt),
                      Long.toString(absolute),
                      Long.toString(expiresAt + marginMillis));
              List<String> over = new ArrayList<>();
              for (Object member : (List<?>) awaitScript(commands, index, deadline)) {
                over.add((String) member);
              }
              awaitScript(commands, put, deadline);
              // The subject's oldest families beyond the cap: out of the index already, now
              // revoked.
              List<RedisFuture<Long>> deletions = new ArrayList<>(over.size());
              for (String old : over) {
                deletions.add(commands.del(familyKey(old)));
              }
              List<String> gone = new ArrayList<>(over.size());
              for (int i = 0; i < over.size(); i++) {
                if (await(deletions.get(i), deadline) > 0) {
                  gone.add(over.get(i));
                }
              }
              makeDurable(commands, over, deadline);
              return gone;
            });
    for (String old : evicted) {
      try {
        listener.familyEvicted(family.subject(), old, SessionListener.Eviction.SUBJECT_CAP);
      } catch (RuntimeException e) { // a listener cannot break a login
        failures.failure("listener", e);
      }
    }
  }

  @Override
  public RotationResult rotate(RotationRequest request) {
    Objects.requireNonNull(request, "request");
    long deadline = deadline();
    String id = request.familyId();
    long graceMillis = request.grace().toMillis();
    List<?> reply =
        run(
            "rotate",
            deadline,
            commands -> {
              List<?> answer =
                  (List<?>)
                      awaitScript(
                          commands,
                          script(
                              commands,
                              Scripts.ROTATE,
                              new String[] {familyKey(id)},
                              request.presentedJti(),
                              request.successorJti(),
                              Long.toString(request.now().toEpochMilli()),
                              Long.toString(graceMillis),
                              Long.toString(request.newExpiresAt().toEpochMilli()),
                              Long.toString(marginMillis)),
                          deadline);
              if ((Long) answer.get(0) == Scripts.REUSE_DETECTED) {
                // The family was revoked as stolen: that must survive a master failure.
                makeDurable(commands, List.of(id), deadline);
              }
              return answer;
            });
    long code = (Long) reply.get(0);
    if (code == Scripts.ROTATED) {
      return RotationResult.rotated();
    } else if (code == Scripts.ALREADY_ROTATED) {
      return RotationResult.alreadyRotated(
          (String) reply.get(1), Instant.ofEpochMilli(Long.parseLong((String) reply.get(2))));
    } else if (code == Scripts.REUSE_DETECTED) {
      return RotationResult.reuseDetected();
    }
    return RotationResult.revoked();
  }

  @Override
  public boolean isActive(String familyId, Instant now) {
    Objects.requireNonNull(familyId, "familyId");
    long nowMillis = now.toEpochMilli();
    long deadline = deadline();
    List<KeyValue<String, String>> expiries =
        run(
            "isActive",
            deadline,
            commands -> await(commands.hmget(familyKey(familyId), "exp", "abs"), deadline));
    for (KeyValue<String, String> expiry : expiries) {
      if (!expiry.hasValue() || nowMillis >= Long.parseLong(expiry.getValue())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void revokeFamily(String familyId) {
    Objects.requireNonNull(familyId, "familyId");
    long deadline = deadline();
    run(
        "revokeFamily",
        deadline,
        commands -> {
          await(commands.del(familyKey(familyId)), deadline);
          makeDurable(commands, List.of(familyId), deadline);
          return null;
        });
  }

  /**
   * Revokes the subject's families a page of {@value #REVOKE_PAGE} at a time, each page pipelined
   * and then removed from the index, until the index is empty; the whole call stays within one
   * command timeout. When time runs out first it throws {@link StoreUnavailableException}, and a
   * retry continues where it stopped (revoked families are already out of the index), so retrying
   * is safe and ends the job.
   */
  @Override
  public int revokeSubject(String subject, Instant now) {
    Objects.requireNonNull(subject, "subject");
    String nowMillis = Long.toString(now.toEpochMilli());
    long deadline = deadline();
    String index = subjectKey(subject);
    return run(
        "revokeSubject",
        deadline,
        commands -> {
          int revoked = 0;
          while (true) {
            List<String> page = await(commands.zrange(index, 0, REVOKE_PAGE - 1), deadline);
            if (page.isEmpty()) {
              return revoked;
            }
            List<PendingScript> revocations = new ArrayList<>(page.size());
            for (String id : page) {
              revocations.add(
                  script(
                      commands, Scripts.REVOKE_IF_LIVE, new String[] {familyKey(id)}, nowMillis));
            }
            for (PendingScript revocation : revocations) {
              revoked +=
                  Math.toIntExact(
                      (Long) ((List<?>) awaitScript(commands, revocation, deadline)).get(0));
            }
            // Durable before the index forgets them: a retry after a failed WAIT revokes again.
            makeDurable(commands, page, deadline);
            // ZREM, not DEL: a family registered meanwhile keeps its index entry (the next page).
            await(commands.zrem(index, page.toArray(String[]::new)), deadline);
          }
        });
  }

  /** Closes the connection and client if this store opened them; a supplied one is left open. */
  @Override
  public void close() {
    closed = true;
    StatefulConnection<String, String> open = connection;
    if (ownsConnection && open != null) {
      open.close();
    }
    if (ownsClient) {
      if (clusterClient != null) {
        clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      } else {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      try {
        ownResources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Closing anyway: threads that do not stop in time are daemons and die with the JVM.
      }
    }
  }

  /** Names the Redis target, the prefix and the timeout; never a key or a token. */
  @Override
  public String toString() {
    return "RedisRefreshTokenStore[target="
        + target
        + ", keyPrefix="
        + keyPrefix
        + ", commandTimeout="
        + Duration.ofNanos(timeoutNanos)
        + (durableReplicas > 0
            ? ", durableWrites=" + durableReplicas + " replicas/" + durableTimeoutMillis + " ms"
            : "")
        + "]";
  }

  String familyKey(String familyId) {
    return keyPrefix + "family:{" + familyId + "}";
  }

  String subjectKey(String subject) {
    return keyPrefix + "subject:{" + subject + "}";
  }

  /** One store operation against Redis, with every failure turned into the one documented type. */
  private interface Operation<T> {
    T apply(RedisClusterAsyncCommands<String, String> commands)
        throws ExecutionException, TimeoutException, InterruptedException;
  }

  private <T> T run(String name, long deadline, Operation<T> operation) {
    try {
      T result = operation.apply(commands(deadline));
      failures.success();
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(name, e);
    } catch (ExecutionException e) {
      throw unavailable(name, e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      throw unavailable(name, e);
    }
  }

  private StoreUnavailableException unavailable(String operation, Throwable cause) {
    failures.failure(operation, cause);
    return new StoreUnavailableException(
        "Redis refresh-token store at " + target + " failed during " + operation + ": " + cause,
        cause);
  }

  /** The connection's commands, opening the connection first if it is not open yet. */
  private RedisClusterAsyncCommands<String, String> commands(long deadline) {
    StatefulConnection<String, String> open = connection;
    if (open == null) {
      open = connect(deadline);
    }
    return open instanceof StatefulRedisClusterConnection<String, String> cluster
        ? cluster.async()
        : ((StatefulRedisConnection<String, String>) open).async();
  }

  /**
   * Makes the revocation of these families durable against the loss of one master: deletes their
   * keys again (idempotent: they are revoked already) on the connection to the master that owns
   * them, then {@code WAIT}s until {@link Builder#durableWrites the configured number} of its
   * replicas hold every write made on that connection so far. Fewer acknowledgements within the
   * timeout fail the call (fail closed: the engine refuses the refresh, and a retry repeats it).
   * Does nothing when durable writes are off.
   */
  private void makeDurable(
      RedisClusterAsyncCommands<String, String> commands, List<String> familyIds, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (durableReplicas == 0 || familyIds.isEmpty()) {
      return;
    }
    StatefulConnection<String, String> open = Objects.requireNonNull(connection);
    if (!(open instanceof StatefulRedisClusterConnection<String, String> cluster)) {
      // One connection to the master: the script and the WAIT share it, so WAIT covers the script.
      awaitReplicas(commands, deadline);
      return;
    }
    // WAIT counts the writes of the connection it runs on, so each master's share is deleted again
    // on the connection to that master, then waited for there.
    java.util.Map<RedisClusterNode, List<String>> byMaster = new java.util.LinkedHashMap<>();
    for (String id : familyIds) {
      RedisClusterNode master =
          cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(familyKey(id)));
      if (master == null) {
        throw new RedisException("no master known for the slot of a revoked family");
      }
      byMaster.computeIfAbsent(master, ignored -> new ArrayList<>()).add(id);
    }
    for (java.util.Map.Entry<RedisClusterNode, List<String>> share : byMaster.entrySet()) {
      RedisURI node = share.getKey().getUri();
      StatefulRedisConnection<String, String> nodeConnection =
          cluster
              .getConnectionAsync(node.getHost(), node.getPort())
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      RedisClusterAsyncCommands<String, String> nodeCommands = nodeConnection.async();
      List<RedisFuture<Long>> deletions = new ArrayList<>();
      for (String id : share.getValue()) {
        deletions.add(nodeCommands.del(familyKey(id)));
      }
      for (RedisFuture<Long> deletion : deletions) {
        await(deletion, deadline);
      }
      awaitReplicas(nodeCommands, deadline);
    }
  }

  private void awaitReplicas(RedisClusterAsyncCommands<String, String> commands, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    long acknowledged =
        await(commands.waitForReplication(durableReplicas, durableTimeoutMillis), deadline);
    if (acknowledged < durableReplicas) {
      throw new RedisException(
          "a revocation reached "
              + acknowledged
              + " of the "
              + durableReplicas
              + " replicas required within "
              + durableTimeoutMillis
              + " ms; refusing (fail closed)");
    }
  }

  /**
   * The connection, waiting for it at most until {@code deadline}. No request thread ever connects
   * itself or waits on a lock held by a connecting thread: one attempt at a time runs in the
   * background (Lettuce's own connect for a URI; a daemon thread around a supplied client's
   * blocking {@code connect()}, which may take as long as that client's settings allow), and each
   * caller only waits on the attempt's future until its own deadline. A connection that arrives
   * after a caller gave up is kept for the next call.
   */
  private StatefulConnection<String, String> connect(long deadline) {
    long now = System.nanoTime();
    CompletableFuture<StatefulConnection<String, String>> current = attempt.get();
    if (current == null || current.isCompletedExceptionally()) {
      if (current != null && now - nextConnectAttempt < 0) {
        throw new RedisException("not connected; the last attempt failed moments ago");
      }
      CompletableFuture<StatefulConnection<String, String>> fresh = new CompletableFuture<>();
      if (attempt.compareAndSet(current, fresh)) {
        nextConnectAttempt = now + CONNECT_RETRY_NANOS;
        startConnecting(fresh);
        current = fresh;
      } else {
        current = Objects.requireNonNull(attempt.get());
      }
    }
    try {
      return current.get(Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RedisException("cannot connect: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new RedisException("connecting timed out (the attempt goes on in the background)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisException("interrupted while connecting", e);
    }
  }

  private void startConnecting(CompletableFuture<StatefulConnection<String, String>> fresh) {
    fresh.thenAccept(
        open -> {
          connection = open;
          if (closed && ownsConnection) { // arrived after close(): nobody will use it
            CompletableFuture<Void> closing = open.closeAsync();
            closing.exceptionally(ignored -> null);
          }
        });
    if (clusterClient != null) {
      // connectAsync needs the slot map loaded first (connect() loads it itself, blocking).
      clusterClient
          .refreshPartitionsAsync()
          .toCompletableFuture()
          .thenCompose(loaded -> clusterClient.connectAsync(StringCodec.UTF8))
          .whenComplete(
              (open, failure) -> {
                if (failure != null) {
                  fresh.completeExceptionally(failure);
                } else {
                  open.setReadFrom(ReadFrom.UPSTREAM); // reads see every acknowledged write
                  fresh.complete(open);
                }
              });
      return;
    }
    if (uri != null) {
      client
          .connectAsync(StringCodec.UTF8, uri)
          .whenComplete(
              (open, failure) -> {
                if (failure != null) {
                  fresh.completeExceptionally(failure);
                } else {
                  fresh.complete(open);
                }
              });
      return;
    }
    // A supplied client connects with its own URI and timeouts, blocking: off the request thread.
    Thread connector =
        new Thread(
            () -> {
              try {
                fresh.complete(client.connect());
              } catch (RuntimeException e) {
                fresh.completeExceptionally(e);
              }
            },
            "jwt-session-redis-connect");
    connector.setDaemon(true);
    connector.start();
  }

  /** Sends a script by digest; {@link #awaitScript} resends its source if Redis lacks it. */
  private static PendingScript script(
      RedisClusterAsyncCommands<String, String> commands,
      Scripts.Script script,
      String[] keys,
      String... args) {
    return new PendingScript(
        script, keys, args, commands.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args));
  }

  /** Awaits a script; if Redis does not know it yet (NOSCRIPT), sends its source once with EVAL. */
  private Object awaitScript(
      RedisClusterAsyncCommands<String, String> commands, PendingScript pending, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return await(pending.reply(), deadline);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      // After a Redis restart or SCRIPT FLUSH; EVAL also caches the script for the next EVALSHA.
      RedisFuture<Object> retry =
          commands.eval(
              pending.script().source(), ScriptOutputType.MULTI, pending.keys(), pending.args());
      return await(retry, deadline);
    }
  }

  /** A script sent by digest, with what is needed to resend it by source. */
  @SuppressWarnings(
      "ArrayRecordComponent") // private, never compared or hashed: arrays are Lettuce's API
  private record PendingScript(
      Scripts.Script script, String[] keys, String[] args, RedisFuture<Object> reply) {}

  private <T> T await(RedisFuture<T> pending, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    long left = deadline - System.nanoTime();
    try {
      return pending.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(false);
      throw new TimeoutException("no answer within " + Duration.ofNanos(timeoutNanos));
    }
  }

  private long deadline() {
    return System.nanoTime() + timeoutNanos;
  }

  /**
   * Configures a {@link RedisRefreshTokenStore}; single use. Each setting may be given once, and
   * {@link #build()} reports every problem at once.
   */
  public static final class Builder {

    private final List<String> problems = new ArrayList<>();
    private RedisURI uri;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private List<RedisURI> clusterSeeds;
    private RedisClusterClient clusterClient;
    private int durableReplicas;
    private Duration durableTimeout = Duration.ZERO;
    private boolean durableSet;
    private int sources;
    private String keyPrefix;
    private Duration commandTimeout;
    private Duration expiryMargin;
    private int maxFamiliesPerSubject = DEFAULT_MAX_FAMILIES_PER_SUBJECT;
    private boolean perSubjectSet;
    private SessionListener listener = new SessionListener() {};
    private boolean listenerSet;
    private boolean built;

    private Builder() {}

    /**
     * Connect to this Redis URL, e.g. {@code redis://host:6379}, {@code rediss://...}, or {@code
     * redis-sentinel://sentinel1:26379,sentinel2:26379/0#mymaster} for the master that these
     * Sentinels name (found again through them after a failover).
     */
    public Builder uri(String redisUrl) {
      Objects.requireNonNull(redisUrl, "redisUrl");
      try {
        return uri(RedisURI.create(redisUrl));
      } catch (RuntimeException e) { // Lettuce's message may quote the URL, password and all
        problems.add(
            "uri: '"
                + redacted(redisUrl)
                + "' is not a Redis URL. Use redis://[[user:]password@]host:port or"
                + " redis-sentinel://host:port[,host:port]/0#master.");
        sources++;
        return this;
      }
    }

    /**
     * Run on a Redis Cluster reached through these seed nodes (URLs such as {@code
     * redis://10.0.0.1:6379}; any one reachable node is enough to learn the whole cluster). The
     * store owns the {@link RedisClusterClient} it creates: it refreshes the slot map on {@code
     * MOVED}/{@code ASK} redirects, on reconnects and every {@value
     * RedisRefreshTokenStore#CLUSTER_REFRESH_SECONDS} s, and reads from masters only.
     */
    public Builder cluster(List<String> seedUris) {
      Objects.requireNonNull(seedUris, "seedUris");
      sources++;
      List<RedisURI> seeds = new ArrayList<>();
      if (seedUris.isEmpty()) {
        problems.add("cluster: no seed node given. Give at least one redis://host:port.");
      }
      for (String seed : seedUris) {
        try {
          RedisURI parsed = RedisURI.create(Objects.requireNonNull(seed, "seed"));
          if (!parsed.getSentinels().isEmpty()) {
            problems.add(
                "cluster: '"
                    + redacted(seed)
                    + "' is a Sentinel URL. Give the cluster's nodes as redis://host:port.");
          }
          seeds.add(parsed);
        } catch (RuntimeException e) { // Lettuce's message may quote the URL, password and all
          problems.add(
              "cluster: '"
                  + redacted(seed)
                  + "' is not a Redis URL. Use redis://[[user:]password@]host:port.");
        }
      }
      this.clusterSeeds = seeds;
      return this;
    }

    /**
     * Open one cluster connection from this client (with its own seeds, options and topology
     * refresh settings); the store closes that connection, never the client. The store reads from
     * masters whatever the client's default.
     */
    public Builder client(RedisClusterClient redisClusterClient) {
      sources++;
      this.clusterClient = Objects.requireNonNull(redisClusterClient, "redisClusterClient");
      return this;
    }

    /**
     * Make every revocation (logout, log out everywhere, a family revoked for reuse, a family the
     * per-subject cap evicts) durable against the loss of its master: after the write the store
     * sends {@code WAIT replicas timeout} on that master's connection and, when fewer replicas
     * acknowledge within {@code timeout}, fails the call with {@link StoreUnavailableException}
     * (fail closed; retrying is safe). Off by default (0 replicas). While a master waits, other
     * commands on the same connection queue behind the {@code WAIT}, at most {@code timeout}.
     */
    public Builder durableWrites(int replicas, Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (durableSet) {
        problems.add("durableWrites: set twice. Set it once.");
      }
      durableSet = true;
      if (replicas < 0) {
        problems.add(
            "durableWrites: replicas must not be negative, was " + replicas + ". Give e.g. 1.");
      }
      if (timeout.isNegative() || (replicas > 0 && timeout.isZero())) {
        problems.add(
            "durableWrites: timeout must be positive, was "
                + timeout
                + ". Give e.g. 100 ms (WAIT 0 would wait forever).");
      }
      this.durableReplicas = replicas;
      this.durableTimeout = timeout;
      return this;
    }

    /** Connect to this Redis; the store owns the client it creates and closes it. */
    public Builder uri(RedisURI redisUri) {
      Objects.requireNonNull(redisUri, "redisUri");
      sources++;
      this.uri = redisUri;
      return this;
    }

    /**
     * Open one connection from this client (with the client's own URI, options and connect
     * timeout); the store closes that connection, never the client.
     */
    public Builder client(RedisClient redisClient) {
      sources++;
      this.client = Objects.requireNonNull(redisClient, "redisClient");
      return this;
    }

    /**
     * Use this open connection; the store never closes it. Its auto-reconnect setting decides
     * whether the store recovers from an outage.
     */
    public Builder connection(StatefulRedisConnection<String, String> redisConnection) {
      sources++;
      this.connection = Objects.requireNonNull(redisConnection, "redisConnection");
      return this;
    }

    /**
     * The prefix of every key (default {@value RedisRefreshTokenStore#DEFAULT_KEY_PREFIX}), so
     * several applications can share one Redis.
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (keyPrefix != null) {
        problems.add("keyPrefix: set twice. Set it once.");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * How long one store call may wait for Redis before failing with {@link
     * StoreUnavailableException} (default {@value
     * RedisRefreshTokenStore#DEFAULT_COMMAND_TIMEOUT_MILLIS} ms). Request threads never wait
     * longer.
     */
    public Builder commandTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (commandTimeout != null) {
        problems.add("commandTimeout: set twice. Set it once.");
      }
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * How long after its logical expiry Redis deletes a family's keys (default {@value
     * RedisRefreshTokenStore#DEFAULT_EXPIRY_MARGIN_SECONDS} s). Expiry is decided by the engine's
     * clock; the margin absorbs the difference between it and the Redis server's clock.
     */
    public Builder expiryMargin(Duration margin) {
      Objects.requireNonNull(margin, "margin");
      if (expiryMargin != null) {
        problems.add("expiryMargin: set twice. Set it once.");
      }
      this.expiryMargin = margin;
      return this;
    }

    /**
     * How many families one subject may hold (default {@value
     * RedisRefreshTokenStore#DEFAULT_MAX_FAMILIES_PER_SUBJECT}); a login beyond it revokes the
     * subject's oldest family, so one account cannot grow its index without bound.
     */
    public Builder maxFamiliesPerSubject(int cap) {
      if (perSubjectSet) {
        problems.add("maxFamiliesPerSubject: set twice. Set it once.");
      }
      perSubjectSet = true;
      this.maxFamiliesPerSubject = cap;
      return this;
    }

    /** Hears the families the per-subject cap evicts ({@link SessionListener#familyEvicted}). */
    public Builder listener(SessionListener sessionListener) {
      if (listenerSet) {
        problems.add("listener: set twice. Set it once.");
      }
      listenerSet = true;
      this.listener = Objects.requireNonNull(sessionListener, "sessionListener");
      return this;
    }

    /**
     * The store. Waits at most 2 seconds for the first connection (the command timeout if longer),
     * never for Redis to come up: when it cannot be reached now, calls fail with {@link
     * StoreUnavailableException} until it can.
     *
     * @throws JwtSessionConfigException listing every problem with the settings
     */
    public RedisRefreshTokenStore build() {
      if (built) {
        throw new IllegalStateException("build() was called twice; use a new builder per store");
      }
      built = true;
      List<String> all = new ArrayList<>(problems);
      if (sources == 0) {
        all.add("uri: missing. Give uri(...), cluster(...), client(...) or connection(...).");
      } else if (sources > 1) {
        all.add(
            "uri: more than one of uri(...), cluster(...), client(...), connection(...) given."
                + " Give one.");
      }
      if (durableReplicas > 0 && !durableTimeout.isNegative() && !durableTimeout.isZero()) {
        long timeoutMillis = durableTimeout.toMillis();
        Duration budget =
            commandTimeout == null
                ? Duration.ofMillis(DEFAULT_COMMAND_TIMEOUT_MILLIS)
                : commandTimeout;
        if (timeoutMillis == 0 || durableTimeout.compareTo(budget) >= 0) {
          all.add(
              "durableWrites: timeout "
                  + durableTimeout
                  + " must be at least 1 ms and shorter than the command timeout "
                  + budget
                  + ". Give a shorter timeout or a longer command timeout.");
        }
      }
      if (keyPrefix == null) {
        keyPrefix = DEFAULT_KEY_PREFIX;
      } else if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
        all.add(
            "keyPrefix: '"
                + keyPrefix
                + "' contains a brace, which would break the Redis Cluster hash tag. Remove it.");
      }
      if (commandTimeout == null) {
        commandTimeout = Duration.ofMillis(DEFAULT_COMMAND_TIMEOUT_MILLIS);
      } else if (commandTimeout.isNegative() || commandTimeout.isZero()) {
        all.add("commandTimeout: must be positive, was " + commandTimeout + ". Give e.g. 500 ms.");
      }
      if (maxFamiliesPerSubject < 1) {
        all.add(
            "maxFamiliesPerSubject: must be at least 1, was "
                + maxFamiliesPerSubject
                + ". Give e.g. 50.");
      }
      if (expiryMargin == null) {
        expiryMargin = Duration.ofSeconds(DEFAULT_EXPIRY_MARGIN_SECONDS);
      } else if (expiryMargin.isNegative()) {
        all.add("expiryMargin: must not be negative, was " + expiryMargin + ". Give e.g. 60 s.");
      }
      if (!all.isEmpty()) {
        List<String> named = new ArrayList<>();
        for (String problem : all) {
          named.add("redis." + problem);
        }
        throw new JwtSessionConfigException(named);
      }
      RedisRefreshTokenStore store = new RedisRefreshTokenStore(this);
      store.tryConnect();
      return store;
    }
  }

  /**
   * A Redis URL fit for a message: the user info ({@code user:password@}) and any {@code
   * password}-like query parameter replaced by {@code ***}, so a configuration error can show which
   * URL it means without printing its secret.
   */
  static String redacted(String redisUrl) {
    String url = redisUrl;
    int at = url.lastIndexOf('@');
    if (at >= 0) {
      int scheme = url.indexOf("://");
      int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
      url = url.substring(0, start) + "***" + url.substring(at);
    }
    return url.replaceAll("(?i)((?:password|pass|pwd|auth|secret|token)=)[^&#]*", "$1***");
  }

  /**
   * Opens the connection now if Redis answers, waiting at most the connect budget (this runs at
   * startup, not on a request thread); otherwise the attempt goes on and the first call retries.
   */
  private void tryConnect() {
    if (connection == null) {
      try {
        connect(System.nanoTime() + Math.max(timeoutNanos, MIN_CONNECT_BUDGET.toNanos()));
      } catch (RuntimeException e) {
        failures.failure("connect", e);
      }
    }
  }
}
