package dev.jwtsession;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Explores interleavings of the real engine code with Lincheck's model checker: two engines
 * ("nodes", each with its own single-flight renewal) sharing one {@link InMemoryRefreshTokenStore},
 * and one browser whose replies may be lost. Each scenario is a few requests per thread; Lincheck
 * switches threads at every shared-memory access and lock of the engine, the store and the
 * fixtures, and replays the failing interleaving when an assertion fails.
 *
 * <p>The browser is a cookie jar where the last applied response wins, sending both cookies; time
 * moves (past the access lifetime and the grace window) only between requests, as it does for a
 * real browser whose requests take milliseconds. Asserted in every request: I1 (one successor jti
 * per presented refresh token, whoever answered), I2 and "zero false alarms" (every request of the
 * honest browser is authenticated, lost replies included), I5 (no token outlives the absolute
 * expiry). Asserted after every scenario ({@link #theftIsDetectedOnEveryNodeAndIsFinal}) from the
 * state the interleaving left: I3 and I4, and that {@code Reauth} is not called for tokens the
 * store refuses. What it does not cover is written in {@code docs/rotation-protocol.md}.
 */
@Param(name = "node", gen = IntGen.class, conf = "0:1")
@Param(name = "lose", gen = BooleanGen.class)
public class RotationModelCheckTest {

  private static final Duration ACCESS_LIFETIME = Duration.ofSeconds(60);
  private static final Duration GRACE = Duration.ofSeconds(5);

  /** One scenario's world: one store, two nodes, one logged-in browser. */
  private static final class World {
    final MutableClock clock = MutableClock.atFixedStart();
    final CapturingListener listener = new CapturingListener();
    final AtomicInteger reauthCalls = new AtomicInteger();
    final JwtSession[] nodes;

    /** The browser's cookies; the last applied response wins, per cookie. */
    final Map<String, String> jar = new ConcurrentHashMap<>();

    /** Every successor jti handed out per presented refresh jti, by any node (I1). */
    final Map<String, Set<String>> successors = new ConcurrentHashMap<>();

    /** Requests hold it shared; time moves only with it held exclusively (between requests). */
    final ReentrantReadWriteLock time = new ReentrantReadWriteLock();

    World() {
      InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
      nodes = new JwtSession[] {node(store), node(store)};
      RecordingCookieSink login = new RecordingCookieSink();
      nodes[0]
          .resolve(null, login)
          .login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
      jar.putAll(login.applyTo(Map.of()));
    }

    private JwtSession node(InMemoryRefreshTokenStore store) {
      return JwtSession.builder()
          .access(t -> t.cookieName("a").maxAge(ACCESS_LIFETIME).secret("k".repeat(40)))
          .refresh(t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret("s".repeat(40)))
          .clock(clock)
          .listener(listener)
          .reauth(
              refresh -> {
                reauthCalls.incrementAndGet();
                return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
              })
          .rotation(r -> r.store(store).reuseGrace(GRACE).absoluteLifetime(Duration.ofHours(1)))
          .build();
    }
  }

  private final World world = new World();

  /** A fresh world per scenario (Lincheck creates one test instance per scenario run). */
  public RotationModelCheckTest() {}

  private World world() {
    return world;
  }

  /** The browser sends its cookies to one node; the reply reaches it unless {@code lose}. */
  @Operation
  public void request(@Param(name = "node") int node, @Param(name = "lose") boolean lose) {
    World w = world();
    w.time.readLock().lock();
    try {
      String access = w.jar.get("a");
      String refresh = w.jar.get("r");
      RecordingCookieSink reply = new RecordingCookieSink();
      Session session = w.nodes[node].resolve("a=" + access + "; r=" + refresh, reply);
      check(session.isAuthenticated(), "I2: the honest browser was refused");
      check(w.listener.count("reuseDetected") == 0, "no false alarm");
      Optional<String> successor = reply.value("r");
      if (successor.isPresent()) {
        Set<String> handedOut =
            w.successors.computeIfAbsent(jti(refresh), k -> ConcurrentHashMap.newKeySet());
        handedOut.add(jti(successor.get()));
        check(handedOut.size() == 1, "I1: two successors for one refresh token");
        check(number("exp", successor.get()) <= number("aex", successor.get()), "I5: past aex");
        check(
            number("exp", reply.value("a").orElseThrow()) <= number("aex", successor.get()),
            "I5: an access token past aex");
      }
      if (!lose) {
        reply.value("a").ifPresent(v -> w.jar.put("a", v));
        successor.ifPresent(v -> w.jar.put("r", v));
      }
    } finally {
      w.time.readLock().unlock();
    }
  }

  /** Time passes beyond the access lifetime (and so the grace window), between requests. */
  @Operation
  public void later() {
    World w = world();
    if (w.time.writeLock().tryLock()) {
      try {
        w.clock.advance(ACCESS_LIFETIME.plusSeconds(1));
      } finally {
        w.time.writeLock().unlock();
      }
    }
  }

  /**
   * From whatever state the interleaving left: the browser renews twice (so its token's successor
   * is used), then its old token is replayed after the grace window: theft (I3), the family ends on
   * both nodes (I4), and the application is not asked about refused tokens.
   */
  @Validate
  public void theftIsDetectedOnEveryNodeAndIsFinal() {
    World w = world();
    String stolen = w.jar.get("r");
    w.clock.advance(ACCESS_LIFETIME.plusSeconds(1));
    String next = renewed(w.nodes[0], stolen);
    w.clock.advance(ACCESS_LIFETIME.plusSeconds(1));
    String newest = renewed(w.nodes[1], next);
    w.clock.advance(ACCESS_LIFETIME.plusSeconds(1));
    int asked = w.reauthCalls.get();

    check(!refreshOnly(w.nodes[0], stolen).isAuthenticated(), "I3: the replay was served");
    check(w.listener.count("reuseDetected") == 1, "I3: no alarm for the replay");
    check(!refreshOnly(w.nodes[1], newest).isAuthenticated(), "I4: the family lives on node B");
    check(w.reauthCalls.get() == asked, "Reauth was asked about a refused token");
  }

  @Test
  void theRotationInvariantsHoldInEveryExploredInterleavingOfTwoNodesSharingOneStore() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .iterations(2)
            .invocationsPerIteration(25)
            .threads(2)
            .actorsPerThread(2)
            .actorsBefore(0)
            .actorsAfter(0)
            .minimizeFailedScenario(false)
            // Signing, verifying, cookie text and random ids hold no shared state: each runs as
            // one step instead of thousands of explored memory accesses.
            .addGuarantee(forClasses(RotationModelCheckTest::isStateless).allMethods().ignore())
            .addGuarantee(
                forClasses("dev.jwtsession.internal.VerifiedTokenCache")
                    .methods("slot", "constantTimeEquals")
                    .ignore())
            // Loops over a token's characters are bounded, not spin loops.
            .loopIterationsBeforeThreadSwitch(10_000)
            .loopBound(10_000);
    // The first invocation retransforms the engine's classes, which on a busy machine takes longer
    // than Lincheck's default hang timeout; later invocations take milliseconds.
    options.invocationTimeout$lincheck(120_000);
    // Throws LincheckAssertionError with the interleaving when an invariant fails in any of them.
    options.check(RotationModelCheckTest.class);
  }

  private static boolean isStateless(String className) {
    return className.startsWith("dev.jwtsession.internal.TokenCodec")
        || className.startsWith("dev.jwtsession.internal.CookieHeader")
        || className.startsWith("dev.jwtsession.internal.SetCookie")
        || className.startsWith("dev.jwtsession.TokenIssuer")
        || className.startsWith("com.nimbusds.")
        || className.startsWith("com.sun.crypto.")
        || className.startsWith("sun.security.")
        || className.startsWith("javax.crypto.")
        || className.startsWith("java.security.")
        || className.startsWith("java.util.Base64")
        || className.startsWith("java.lang.System$Logger");
  }

  private String renewed(JwtSession node, String refresh) {
    RecordingCookieSink reply = new RecordingCookieSink();
    check(node.resolve("r=" + refresh, reply).isAuthenticated(), "I2: a renewal was refused");
    return reply.value("r").orElseThrow();
  }

  private static Session refreshOnly(JwtSession node, String refresh) {
    return node.resolve("r=" + refresh, new RecordingCookieSink());
  }

  private static void check(boolean holds, String invariant) {
    if (!holds) {
      throw new AssertionError(invariant);
    }
  }

  /** A claim's raw JSON value in a token's payload (tests only; never verify this way). */
  private static String claim(String token, String name) {
    String payload = payload(token);
    String key = "\"" + name + "\":";
    int start = payload.indexOf(key);
    check(start >= 0, "a token without " + name);
    start += key.length();
    int end = start;
    while (end < payload.length() && payload.charAt(end) != ',' && payload.charAt(end) != '}') {
      end++;
    }
    return payload.substring(start, end).replace("\"", "");
  }

  private static String jti(String token) {
    return claim(token, "jti");
  }

  private static long number(String name, String token) {
    return Long.parseLong(claim(token, name));
  }

  private static String payload(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }
}
