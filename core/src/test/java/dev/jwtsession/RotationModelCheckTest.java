package dev.jwtsession;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jspecify.annotations.Nullable;
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
 * honest browser is authenticated until it logs out, lost replies included), I5 (no token outlives
 * or moves the login's absolute expiry), a renewal's access token is valid when it is handed out (a
 * remembered renewal never outlives its window), and single flight (at a token's rotation instant
 * each node asks {@code Reauth} once). Asserted after every scenario ({@link
 * #theftIsDetectedOnEveryNodeAndIsFinal}) from the state the interleaving left: the lost-reply
 * retry gets the recorded successor (I1, I2), a straggler within the grace window gets it too, an
 * ancestor whose successor was used is theft once the window counted from that successor's issue is
 * over (I3, I6), the family then ends on both nodes, a logged-out family never renews again (I4),
 * and {@code Reauth} is not called for tokens the store refuses. Besides generated scenarios, four
 * fixed ones make sure the shapes behind those rules are always explored: a lost reply retried on
 * both nodes after the window, a burst on one node, a burst on both nodes with both replies lost,
 * and a renewal racing a logout. What it does not cover is written in {@code
 * docs/rotation-protocol.md}.
 */
@Param(name = "node", gen = IntGen.class, conf = "0:1")
@Param(name = "lose", gen = BooleanGen.class)
public class RotationModelCheckTest {

  private static final Duration ACCESS_LIFETIME = Duration.ofSeconds(60);
  private static final Duration GRACE = Duration.ofSeconds(5);

  /** How far time moves at once: the access token expires even with the verification leeway. */
  private static final Duration STEP =
      ACCESS_LIFETIME.plus(JwtSession.DEFAULT_LEEWAY).plusSeconds(1);

  /** One scenario's world: one store, two nodes, one logged-in browser. */
  private static final class World {
    final MutableClock clock = MutableClock.atFixedStart();
    final CapturingListener listener = new CapturingListener();
    final AtomicInteger reauthCalls = new AtomicInteger();

    /** {@code Reauth} calls per node, presented refresh jti and instant (single flight). */
    final Map<String, AtomicInteger> reauthBy = new ConcurrentHashMap<>();

    final JwtSession[] nodes;

    /** The browser's cookies; the last applied response wins, per cookie. */
    final Map<String, String> jar = new ConcurrentHashMap<>();

    /** Every successor jti handed out per presented refresh jti, by any node (I1). */
    final Map<String, Set<String>> successors = new ConcurrentHashMap<>();

    /** The instant a presented refresh jti got its first successor: its rotation instant. */
    final Map<String, Long> rotatedAt = new ConcurrentHashMap<>();

    /** Every refresh token the browser was ever given (I4 after a logout). */
    final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();

    /**
     * Invariants a request found broken. A request's assertion error alone is only a result to
     * Lincheck (a sequential replay may fail alike), so the check after the scenario fails on
     * these.
     */
    final List<String> violations = new CopyOnWriteArrayList<>();

    /** Set before the browser's logout starts; from then on a refusal is no false alarm. */
    final AtomicBoolean loggedOut = new AtomicBoolean();

    /** Requests hold it shared; time moves only with it held exclusively (between requests). */
    final ReentrantReadWriteLock time = new ReentrantReadWriteLock();

    /** The login's absolute expiry (I5): no token carries another one or outlives it. */
    final long absoluteExpiry;

    World() {
      InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
      nodes = new JwtSession[] {node(store, 0), node(store, 1)};
      RecordingCookieSink login = new RecordingCookieSink();
      nodes[0]
          .resolve(null, login)
          .login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
      jar.putAll(login.applyTo(Map.of()));
      refreshTokens.add(jar.get("r"));
      absoluteExpiry = number("aex", jar.get("r"));
    }

    private JwtSession node(InMemoryRefreshTokenStore store, int index) {
      return JwtSession.builder()
          .access(t -> t.cookieName("a").maxAge(ACCESS_LIFETIME).secret("k".repeat(40)))
          .refresh(t -> t.cookieName("r").maxAge(Duration.ofDays(1)).secret("s".repeat(40)))
          .clock(clock)
          .listener(listener)
          .reauth(
              refresh -> {
                reauthCalls.incrementAndGet();
                reauthBy
                    .computeIfAbsent(
                        index + "/" + refresh.jwtId().orElse("") + "/" + clock.millis(),
                        k -> new AtomicInteger())
                    .incrementAndGet();
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
      long now = w.clock.millis();
      String refresh = w.jar.get("r");
      RecordingCookieSink reply = new RecordingCookieSink();
      Session session = w.nodes[node].resolve(cookies(w), reply);
      holds(
          w, session.isAuthenticated() || w.loggedOut.get(), "I2: the honest browser was refused");
      holds(w, w.listener.count("reuseDetected") == 0, "no false alarm");
      Optional<String> successor = reply.value("r").filter(v -> !v.isEmpty());
      if (successor.isPresent() && refresh != null) {
        String presented = jti(refresh);
        Set<String> handedOut =
            w.successors.computeIfAbsent(presented, k -> ConcurrentHashMap.newKeySet());
        handedOut.add(jti(successor.get()));
        w.refreshTokens.add(successor.get());
        holds(w, handedOut.size() == 1, "I1: two successors for one refresh token");
        String access = reply.value("a").orElseThrow();
        holds(w, number("aex", successor.get()) == w.absoluteExpiry, "I5: the aex moved");
        holds(w, number("exp", successor.get()) <= w.absoluteExpiry, "I5: past aex");
        holds(w, number("exp", access) <= w.absoluteExpiry, "I5: an access token past aex");
        holds(w, number("exp", access) * 1000 > now, "a renewal answered an expired access token");
        if (w.rotatedAt.computeIfAbsent(presented, k -> now) == now) {
          AtomicInteger asked = w.reauthBy.get(node + "/" + presented + "/" + now);
          holds(
              w, asked == null || asked.get() <= 1, "single flight: two Reauth calls in one burst");
        }
      }
      if (!lose) {
        apply(w, reply, "a");
        apply(w, reply, "r");
      }
    } catch (RuntimeException e) {
      throw unexpected(w, e);
    } finally {
      w.time.readLock().unlock();
    }
  }

  /** The browser logs out through one node; the family is revoked, the cookies cleared. */
  @Operation
  public void logout(@Param(name = "node") int node) {
    World w = world();
    w.time.readLock().lock();
    try {
      w.loggedOut.set(true);
      RecordingCookieSink reply = new RecordingCookieSink();
      Session session = w.nodes[node].resolve(cookies(w), reply);
      session.logout();
      apply(w, reply, "a");
      apply(w, reply, "r");
      holds(w, w.listener.count("reuseDetected") == 0, "no false alarm");
    } catch (RuntimeException e) {
      throw unexpected(w, e);
    } finally {
      w.time.readLock().unlock();
    }
  }

  /** Time passes beyond the access lifetime and leeway (and the grace window), between requests. */
  @Operation
  public void later() {
    World w = world();
    if (w.time.writeLock().tryLock()) {
      try {
        w.clock.advance(STEP);
      } finally {
        w.time.writeLock().unlock();
      }
    }
  }

  /**
   * From whatever state the interleaving left. After a logout: no refresh token the browser ever
   * held renews on either node (I4). Otherwise, after the grace window: the browser's token renews
   * (a lost reply gets the successor recorded for it, I1, I2); its successor is used on the other
   * node; an ancestor whose successor was used, replayed once the window counted from that
   * successor's issue is over, is theft (I3, I6), and the family ends on both nodes (I4). A
   * straggler within the window gets the successor. The application is not asked about refused
   * tokens.
   */
  @Validate
  public void theftIsDetectedOnEveryNodeAndIsFinal() {
    World w = world();
    check(w.violations.isEmpty(), "broken during the scenario: " + w.violations);
    w.clock.advance(STEP);
    if (w.loggedOut.get()) {
      int asked = w.reauthCalls.get();
      for (String token : w.refreshTokens) {
        for (JwtSession node : w.nodes) {
          check(!refreshOnly(node, token).isAuthenticated(), "I4: a logged-out family renewed");
        }
      }
      check(w.reauthCalls.get() == asked, "Reauth was asked about a refused token");
      return;
    }
    String stolen = w.jar.get("r");
    Set<String> earlier = w.successors.get(jti(stolen));
    String next = renewed(w.nodes[0], stolen);
    if (earlier != null) {
      check(earlier.equals(Set.of(jti(next))), "I1: a retry after the window got a new successor");
    }
    String newest = renewed(w.nodes[1], next); // the successor is used, at the same instant
    String ancestor = stolen;
    if (earlier == null) {
      // next was issued this instant: a straggler within the grace window gets it (rule 3).
      RecordingCookieSink straggler = new RecordingCookieSink();
      check(w.nodes[0].resolve("r=" + stolen, straggler).isAuthenticated(), "rule 3: refused");
      check(
          jti(straggler.value("r").orElseThrow()).equals(jti(next)),
          "I1: a straggler got another successor");
      // next's successor (newest), issued a window ago, is used now: next becomes the ancestor.
      w.clock.advance(STEP);
      newest = renewed(w.nodes[0], newest);
      ancestor = next;
    }
    int asked = w.reauthCalls.get();

    check(!refreshOnly(w.nodes[0], ancestor).isAuthenticated(), "I3/I6: the replay was served");
    check(w.listener.count("reuseDetected") == 1, "I3: no alarm for the replay");
    check(!refreshOnly(w.nodes[1], newest).isAuthenticated(), "I4: the family lives on node B");
    check(!refreshOnly(w.nodes[0], next).isAuthenticated(), "I4: the family lives on node A");
    check(w.reauthCalls.get() == asked, "Reauth was asked about a refused token");
  }

  @Test
  void theRotationInvariantsHoldInEveryExploredInterleavingOfTwoNodesSharingOneStore() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            // One generated scenario besides the four fixed ones below, 15 interleavings each:
            // every
            // mutation in docs/rotation-protocol.md is caught, in well under a minute on 2 cores.
            .iterations(1)
            .invocationsPerIteration(15)
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
    // The shapes behind the rules, explored in every run besides the generated scenarios (time
    // first moves past the login's access lifetime, so every request renews).
    // A lost reply, retried on both nodes at once after the grace window (I1, I2, remembered
    // renewals after their window).
    options.addCustomScenario(
        scenario(
            List.of(laterActor(), requestActor(0, true), laterActor()),
            List.of(requestActor(1, false)),
            List.of(requestActor(0, false))));
    // A burst on one node (single flight) whose replies arrive in either order.
    options.addCustomScenario(
        scenario(
            List.of(laterActor()),
            List.of(requestActor(0, false)),
            List.of(requestActor(0, false))));
    // A burst on both nodes whose replies are both lost: the browser keeps the rotated token (I1,
    // I6 in the check after the scenario).
    options.addCustomScenario(
        scenario(
            List.of(laterActor()), List.of(requestActor(0, true)), List.of(requestActor(1, true))));
    // A renewal racing a logout on the other node (I4).
    options.addCustomScenario(
        scenario(List.of(laterActor()), List.of(requestActor(0, false)), List.of(logoutActor(1))));
    // The first invocation retransforms the engine's classes, which on a busy machine takes longer
    // than Lincheck's default hang timeout; later invocations take milliseconds.
    options.invocationTimeout$lincheck(120_000);
    // Throws LincheckAssertionError with the interleaving when an invariant fails in any of them.
    options.check(RotationModelCheckTest.class);
  }

  private static ExecutionScenario scenario(
      List<Actor> initial, List<Actor> first, List<Actor> second) {
    return new ExecutionScenario(initial, List.of(first, second), List.of(), null);
  }

  private static Actor requestActor(int node, boolean lose) {
    return actor("request", node, lose);
  }

  private static Actor laterActor() {
    return actor("later");
  }

  private static Actor logoutActor(int node) {
    return actor("logout", node);
  }

  private static Actor actor(String operation, Object... arguments) {
    for (Method method : RotationModelCheckTest.class.getMethods()) {
      if (method.getName().equals(operation)) {
        return new Actor(method, List.of(arguments));
      }
    }
    throw new IllegalArgumentException(operation);
  }

  /** The browser's Cookie header, or {@code null} when its jar is empty. */
  private static @Nullable String cookies(World w) {
    StringBuilder header = new StringBuilder();
    for (String name : List.of("a", "r")) {
      String value = w.jar.get(name);
      if (value != null) {
        header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value);
      }
    }
    return header.length() == 0 ? null : header.toString();
  }

  /** Applies one cookie of a reply to the jar, as a browser does (an empty value clears it). */
  private static void apply(World w, RecordingCookieSink reply, String name) {
    reply
        .value(name)
        .ifPresent(
            v -> {
              if (v.isEmpty()) {
                w.jar.remove(name);
              } else {
                w.jar.put(name, v);
              }
            });
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

  /** A check during a request: recorded for {@link #theftIsDetectedOnEveryNodeAndIsFinal}. */
  private static void holds(World w, boolean holds, String invariant) {
    if (!holds) {
      w.violations.add(invariant);
      throw new AssertionError(invariant);
    }
  }

  /** Records an unexpected failure of a request for the check after the scenario. */
  private static RuntimeException unexpected(World w, RuntimeException e) {
    w.violations.add("a request failed: " + e);
    return e;
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
