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
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
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
 *       <prefix>family:{<familyId>}:successor}; that key is only ever deleted now). Redis deletes
 *       the hash physically {@link Builder#expiryMargin the margin} after its idle expiry: a
 *       rotation sets a relative time-to-live ({@code exp - now + margin}, both engine times), so
 *       Redis's clock is never compared with an engine instant; registration sets {@code PEXPIREAT
 *       exp + margin}, which needs the engine clocks within the margin of Redis's.
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

  private final RedisURI uri;
  private final boolean ownsClient;
  private final ClientResources ownResources;
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>>
      attempt = new AtomicReference<>();
  private volatile StatefulRedisConnection<String, String> connection;
  private final boolean ownsConnection;
  private volatile long nextConnectAttempt;
  private volatile boolean closed;

  private RedisRefreshTokenStore(Builder b) {
    this.keyPrefix = b.keyPrefix;
    this.maxFamiliesPerSubject = b.maxFamiliesPerSubject;
    this.listener = b.listener;
    this.timeoutNanos = b.commandTimeout.toNanos();
    this.marginMillis = b.expiryMargin.toMillis();
    if (b.connection != null) {
      this.client = null;
      this.uri = null;
      this.ownsClient = false;
      this.ownResources = null;
      this.connection = b.connection;
      this.ownsConnection = false;
      this.target = "a supplied connection";
    } else if (b.client != null) {
      this.client = b.client;
      this.uri = null;
      this.ownsClient = false;
      this.ownResources = null;
      this.ownsConnection = true;
      this.target = "a supplied RedisClient";
    } else {
      this.uri = b.uri;
      // The connect runs in the background (request threads only wait until their own deadline),
      // so it may take longer than one command: a slow first connect then still succeeds.
      Duration connectBudget =
          b.commandTimeout.compareTo(MIN_CONNECT_BUDGET) > 0
              ? b.commandTimeout
              : MIN_CONNECT_BUDGET;
      this.uri.setTimeout(connectBudget);
      // Reconnect quickly after an outage: the default backoff grows to 30 s.
      this.ownResources =
          ClientResources.builder()
              .reconnectDelay(
                  Delay.exponential(
                      Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
              .build();
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
      this.target = uri.getHost() + ":" + uri.getPort();
    }
    this.failures =
        new FailureLog(
            System.getLogger(RedisRefreshTokenStore.class.getName()),
            target,
            Duration.ofSeconds(LOG_INTERVAL_SECONDS),
            System::nanoTime);
  }

  /**
   * Starts configuring a store; one of {@code uri}, {@code client} or {@code connection} is needed.
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
                      new String[] {familyKey(id), successorKey(id)},
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
                deletions.add(commands.del(familyKey(old), successorKey(old)));
              }
              List<String> gone = new ArrayList<>(over.size());
              for (int i = 0; i < over.size(); i++) {
                if (await(deletions.get(i), deadline) > 0) {
                  gone.add(over.get(i));
                }
              }
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
            commands ->
                (List<?>)
                    awaitScript(
                        commands,
                        script(
                            commands,
                            Scripts.ROTATE,
                            new String[] {familyKey(id), successorKey(id)},
                            request.presentedJti(),
                            request.successorJti(),
                            Long.toString(request.now().toEpochMilli()),
                            Long.toString(graceMillis),
                            Long.toString(request.newExpiresAt().toEpochMilli()),
                            Long.toString(marginMillis)),
                        deadline));
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
        commands -> await(commands.del(familyKey(familyId), successorKey(familyId)), deadline));
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
                      commands,
                      Scripts.REVOKE_IF_LIVE,
                      new String[] {familyKey(id), successorKey(id)},
                      nowMillis));
            }
            for (PendingScript revocation : revocations) {
              revoked +=
                  Math.toIntExact(
                      (Long) ((List<?>) awaitScript(commands, revocation, deadline)).get(0));
            }
            // ZREM, not DEL: a family registered meanwhile keeps its index entry (the next page).
            await(commands.zrem(index, page.toArray(String[]::new)), deadline);
          }
        });
  }

  /** Closes the connection and client if this store opened them; a supplied one is left open. */
  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> open = connection;
    if (ownsConnection && open != null) {
      open.close();
    }
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
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
        + "]";
  }

  String familyKey(String familyId) {
    return keyPrefix + "family:{" + familyId + "}";
  }

  String successorKey(String familyId) {
    return keyPrefix + "family:{" + familyId + "}:successor";
  }

  String subjectKey(String subject) {
    return keyPrefix + "subject:{" + subject + "}";
  }

  /** One store operation against Redis, with every failure turned into the one documented type. */
  private interface Operation<T> {
    T apply(RedisAsyncCommands<String, String> commands)
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
  private RedisAsyncCommands<String, String> commands(long deadline) {
    StatefulRedisConnection<String, String> open = connection;
    if (open == null) {
      open = connect(deadline);
    }
    return open.async();
  }

  /**
   * The connection, waiting for it at most until {@code deadline}. No request thread ever connects
   * itself or waits on a lock held by a connecting thread: one attempt at a time runs in the
   * background (Lettuce's own connect for a URI; a daemon thread around a supplied client's
   * blocking {@code connect()}, which may take as long as that client's settings allow), and each
   * caller only waits on the attempt's future until its own deadline. A connection that arrives
   * after a caller gave up is kept for the next call.
   */
  private StatefulRedisConnection<String, String> connect(long deadline) {
    long now = System.nanoTime();
    CompletableFuture<StatefulRedisConnection<String, String>> current = attempt.get();
    if (current == null || current.isCompletedExceptionally()) {
      if (current != null && now - nextConnectAttempt < 0) {
        throw new RedisException("not connected; the last attempt failed moments ago");
      }
      CompletableFuture<StatefulRedisConnection<String, String>> fresh = new CompletableFuture<>();
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

  private void startConnecting(CompletableFuture<StatefulRedisConnection<String, String>> fresh) {
    fresh.thenAccept(
        open -> {
          connection = open;
          if (closed && ownsConnection) { // arrived after close(): nobody will use it
            CompletableFuture<Void> closing = open.closeAsync();
            closing.exceptionally(ignored -> null);
          }
        });
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
      RedisAsyncCommands<String, String> commands,
      Scripts.Script script,
      String[] keys,
      String... args) {
    return new PendingScript(
        script, keys, args, commands.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args));
  }

  /** Awaits a script; if Redis does not know it yet (NOSCRIPT), sends its source once with EVAL. */
  private Object awaitScript(
      RedisAsyncCommands<String, String> commands, PendingScript pending, long deadline)
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

    /** Connect to this Redis URL, e.g. {@code redis://host:6379} or {@code rediss://...}. */
    public Builder uri(String redisUrl) {
      Objects.requireNonNull(redisUrl, "redisUrl");
      try {
        return uri(RedisURI.create(redisUrl));
      } catch (RuntimeException e) { // Lettuce's message may quote the URL, password and all
        problems.add(
            "uri: '"
                + redacted(redisUrl)
                + "' is not a Redis URL. Use redis://[[user:]password@]host:port.");
        sources++;
        return this;
      }
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
        all.add("uri: missing. Give uri(...), client(...) or connection(...).");
      } else if (sources > 1) {
        all.add("uri: more than one of uri(...), client(...), connection(...) given. Give one.");
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
