package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two independent application servers, A and B, each with its own separately built engine and its
 * own Redis store client, sharing only the keys and one real {@code redis-server}: a session
 * started on one node is renewed, revoked and detected as stolen on the other.
 *
 * <p>One {@link Browser} cookie jar addresses both nodes by absolute URL: browsers key cookies by
 * host, not port, so this is what a browser behind a load balancer holds. The clock is shared and
 * starts at the wall-clock time, because the store decides expiry against the engine's {@code now}
 * while Redis deletes keys by its own clock; tests advance it by minutes only, far inside the 7-day
 * refresh lifetime, so no key expires physically under them.
 */
class MultiNodeTest {

  private static final Pattern JTI = Pattern.compile("\"jti\":\"([^\"]+)\"");

  /** A guard against hangs, far above what the requests need; not a performance assertion. */
  private static final long NO_HANG_SECONDS = 30;

  private final MutableClock clock = new MutableClock(Instant.now());
  private RedisServerProcess redis;
  private AppNode a;
  private AppNode b;

  @BeforeEach
  void startRedis() {
    backendUp();
  }

  /** Starts the Redis the nodes share (a subclass may run them on another deployment). */
  void backendUp() {
    redis = RedisServerProcess.start();
  }

  /** Stops or cleans what {@link #backendUp} started. */
  void backendDown() {
    redis.close();
  }

  /** Points a node's store at the shared Redis. */
  void target(RedisRefreshTokenStore.Builder store) {
    store.uri(redis.uri());
  }

  /** The keys matching {@code pattern}, on every Redis the nodes use. */
  List<String> keys(String pattern) {
    try (RedisAdmin admin = new RedisAdmin(redis.uri())) {
      return admin.connection.sync().keys(pattern);
    }
  }

  /** The fields of one hash. */
  Map<String, String> hash(String key) {
    try (RedisAdmin admin = new RedisAdmin(redis.uri())) {
      return admin.connection.sync().hgetall(key);
    }
  }

  @AfterEach
  void stopEverything() {
    try {
      if (a != null) {
        a.close();
      }
    } finally {
      try {
        if (b != null) {
          b.close();
        }
      } finally {
        backendDown();
      }
    }
  }

  private void startNodes(AppNode.Options options) throws Exception {
    a = AppNode.start("A", this::target, clock, options);
    b = AppNode.start("B", this::target, clock, options);
  }

  @Test
  void aSessionStartedOnOneNodeIsRenewedOnTheOtherAndKeepsWorkingOnBoth() throws Exception {
    startNodes(AppNode.Options.defaults());
    Browser user = new Browser("");
    user.post(a.url("/login?sub=alice"));
    String family = sidOf(user.get(b.url("/me")).body());
    clock.advance(Duration.ofMinutes(2));

    assertThat(user.get(b.url("/me")).body()).isEqualTo(me("alice", true, 1, family));
    assertThat(user.get(a.url("/me")).body())
        .as("the access token B issued verifies on A: nodes share only the keys")
        .isEqualTo(me("alice", false, 1, family));

    clock.advance(Duration.ofMinutes(2));
    assertThat(user.get(a.url("/me")).body()).isEqualTo(me("alice", true, 2, family));
    assertThat(a.reauths()).isEqualTo(1);
    assertThat(b.reauths()).isEqualTo(1);
    assertThat(familyKeys()).hasSize(1);
  }

  @Test
  void aRefreshTokenReplayedOnAOnceItsSuccessorWasUsedIsDetectedAndTheFamilyIsRevokedOnBothNodes()
      throws Exception {
    startNodes(AppNode.Options.defaults().checkingAccessRevocation());
    Browser victim = new Browser("");
    victim.post(a.url("/login?sub=alice"));
    String stolen = victim.cookies().get("app_refresh");
    clock.advance(Duration.ofMinutes(2));
    assertThat(victim.get(b.url("/me")).body()).contains("reauth=true;rot=1");
    // Protocol v2: the theft shows once the successor has been used (before, the stolen token is
    // indistinguishable from a lost reply).
    clock.advance(Duration.ofMinutes(2));
    assertThat(victim.get(a.url("/me")).body()).contains("reauth=true;rot=2");
    Map<String, String> victimCookies = Map.copyOf(victim.cookies());

    clock.advance(AppNode.GRACE.plusSeconds(25));
    HttpResponse<String> replay = fromJar(Map.of("app_refresh", stolen)).get(a.url("/me"));

    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(Browser.setCookies(replay)).hasSize(2).allMatch(c -> c.contains("Max-Age=0"));
    assertThat(a.events().count("reuseDetected")).isEqualTo(1);
    assertThat(familyKeys()).as("the family is deleted from the shared store").isEmpty();
    // The victim's rotated access token is still signed and unexpired, yet refused on both nodes.
    for (AppNode node : List.of(a, b)) {
      HttpResponse<String> after = fromJar(victimCookies).get(node.url("/me"));
      assertThat(after.statusCode()).as("the victim's rotated cookies on %s", node).isEqualTo(401);
      assertThat(node.events().events()).contains("rejected:ACCESS:REVOKED");
    }
    assertThat(a.events().count("reuseDetected") + b.events().count("reuseDetected"))
        .as("one theft, one alarm across both nodes")
        .isEqualTo(1);
  }

  @Test
  void withoutTheAccessCheckAReplayOnAEndsTheVictimsSessionOnBWhenItsAccessTokenExpires()
      throws Exception {
    startNodes(AppNode.Options.defaults());
    Browser victim = new Browser("");
    victim.post(a.url("/login?sub=alice"));
    String stolen = victim.cookies().get("app_refresh");
    clock.advance(Duration.ofMinutes(2));
    assertThat(victim.get(b.url("/me")).body()).contains("reauth=true;rot=1");
    clock.advance(Duration.ofMinutes(2));
    assertThat(victim.get(b.url("/me")).body()).contains("reauth=true;rot=2");

    clock.advance(AppNode.GRACE.plusSeconds(25));
    assertThat(fromJar(Map.of("app_refresh", stolen)).get(a.url("/me")).statusCode())
        .isEqualTo(401);
    assertThat(a.events().count("reuseDetected")).isEqualTo(1);

    clock.advance(AppNode.ACCESS_LIFETIME);
    HttpResponse<String> after = victim.get(b.url("/me"));

    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(b.events().events()).contains("rejected:REFRESH:REVOKED");
    assertThat(victim.cookies()).as("both cookies cleared").isEmpty();
    assertThat(a.events().count("reuseDetected") + b.events().count("reuseDetected")).isEqualTo(1);
  }

  @Test
  void logOutEverywhereOnBEndsTheUsersSessionsOnAAndNoOneElses() throws Exception {
    startNodes(AppNode.Options.defaults().checkingAccessRevocation());
    Browser laptop = new Browser("");
    Browser phone = new Browser("");
    Browser bob = new Browser("");
    laptop.post(a.url("/login?sub=alice"));
    phone.post(a.url("/login?sub=alice"));
    bob.post(a.url("/login?sub=bob"));
    Map<String, String> phoneCookies = Map.copyOf(phone.cookies());

    HttpResponse<String> everywhere = laptop.post(b.url("/logout-all"));

    assertThat(everywhere.statusCode()).isEqualTo(204);
    assertThat(b.events().events()).contains("revoked:2");
    assertThat(phone.get(a.url("/me")).statusCode())
        .as("alice's phone session on A ends at once: A checks access tokens against Redis")
        .isEqualTo(401);
    assertThat(laptop.get(a.url("/me")).statusCode()).isEqualTo(401);
    assertThat(bob.get(a.url("/me")).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(2));
    assertThat(fromJar(phoneCookies).get(a.url("/me")).statusCode())
        .as("nor can the phone's refresh token renew it")
        .isEqualTo(401);
    assertThat(a.events().events()).contains("rejected:REFRESH:REVOKED");
    assertThat(bob.get(a.url("/me")).body()).contains("sub=bob;reauth=true");
  }

  @Test
  void fiftyConcurrentReauthsSplitAcrossBothNodesAllGetOneSuccessorPairFromOneFamily()
      throws Exception {
    startNodes(AppNode.Options.defaults());
    Browser user = new Browser("");
    user.post(a.url("/login?sub=alice"));
    String family = sidOf(user.get(a.url("/me")).body());
    String firstJti = jtiOf(user.cookies().get("app_refresh"));
    clock.advance(Duration.ofMinutes(2));

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      requests.add(user.request(a.url("/me")).GET().build());
      requests.add(user.request(b.url("/me")).GET().build());
    }
    for (HttpRequest request : requests) {
      responses.add(user.sendAsync(request));
    }

    Set<List<String>> successorPairs = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> future : responses) {
      HttpResponse<String> response = future.get(NO_HANG_SECONDS, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(me("alice", true, 1, family));
      List<String> pair =
          Browser.setCookies(response).stream()
              .map(c -> c.substring(0, c.indexOf(';')))
              .sorted()
              .toList();
      assertThat(pair).hasSize(2);
      successorPairs.add(pair);
      user.apply(response);
    }
    assertThat(successorPairs).as("one successor pair, whichever node answered").hasSize(1);
    assertThat(a.reauths()).as("single flight on A").isEqualTo(1);
    assertThat(b.reauths()).as("single flight on B").isEqualTo(1);
    assertThat(a.events().count("reauthenticated") + b.events().count("reauthenticated"))
        .as("one rotation; the other node answered with its successor")
        .isEqualTo(1);
    assertThat(a.events().count("reuseDetected") + b.events().count("reuseDetected")).isZero();

    String successorJti = jtiOf(user.cookies().get("app_refresh"));
    assertThat(familyKeys()).containsExactly(AppNode.KEY_PREFIX + "family:{" + family + "}");
    Map<String, String> record = hash(familyKeys().get(0));
    assertThat(record).containsEntry("cur", successorJti).containsEntry("prev", firstJti);

    // The store is consistent: the successor rotates normally, on either node.
    clock.advance(Duration.ofMinutes(2));
    assertThat(user.get(b.url("/me")).body()).isEqualTo(me("alice", true, 2, family));
    clock.advance(Duration.ofMinutes(2));
    assertThat(user.get(a.url("/me")).body()).isEqualTo(me("alice", true, 3, family));
    assertThat(a.events().count("reuseDetected") + b.events().count("reuseDetected")).isZero();
    assertThat(familyKeys()).hasSize(1);
  }

  /** The keys of family hashes (not their successors) under the application's prefix. */
  private List<String> familyKeys() {
    return keys(AppNode.KEY_PREFIX + "family:*").stream()
        .filter(key -> !key.endsWith(":successor"))
        .sorted()
        .toList();
  }

  private static Browser fromJar(Map<String, String> cookies) {
    Browser browser = new Browser("");
    browser.cookies().putAll(cookies);
    return browser;
  }

  private static String me(String subject, boolean reauth, long rotations, String family) {
    return "sub=" + subject + ";reauth=" + reauth + ";rot=" + rotations + ";sid=" + family;
  }

  private static String sidOf(String body) {
    return body.substring(body.indexOf("sid=") + 4);
  }

  /**
   * The {@code jti} of a refresh token, read from its payload (tests only; never verify this way).
   */
  private static String jtiOf(String token) {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    Matcher jti = JTI.matcher(payload);
    assertThat(jti.find()).as("a jti in the refresh token").isTrue();
    return jti.group(1);
  }

  /** A short-lived connection for looking at the store's keys. */
  private static final class RedisAdmin implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisAdmin(String uri) {
      client = RedisClient.create(uri);
      connection = client.connect();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
