package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.LogCapture;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A failover or a resharding during load, driven over HTTP through two application nodes, for
 * {@link ClusterFailoverTest}, {@link SentinelFailoverTest} and {@link ClusterReshardTest}.
 *
 * <p>Two {@link AppNode}s (real Jetty, each its own engine and its own store client on the same
 * Redis deployment) serve {@value #USERS} users who log in over HTTP, alternating nodes. While the
 * event runs, one thread keeps sending requests with the users' access cookies (each must be
 * answered {@code 200} as that user: the access token needs no store) and {@value #RENEWERS}
 * threads keep sending each user's requests with only the refresh cookie (the access cookie
 * dropped, as a browser drops it at its {@code Max-Age}), so every one of them is a renewal,
 * alternating nodes and keeping the cookies each answer sets, as a browser does. Right before the
 * event every third user logs out ({@code POST /logout}, a revocation). After the event the load
 * runs until every other user has renewed once more (or was logged out); then every logged-out
 * user's refresh cookie is presented to both nodes and must be refused as revoked.
 *
 * <p>The clock is shared and does not move: access tokens stay valid, and every renewal is caused
 * by the missing access cookie, not by time.
 */
final class FailoverScenario implements AutoCloseable {

  static final int USERS = 60;
  static final int RENEWERS = 4;

  /** A guard against hangs, far above what the requests need; not a performance assertion. */
  private static final Duration NO_HANG = Duration.ofSeconds(60);

  private static final String ACCESS = "app_session";
  private static final String REFRESH = "app_refresh";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** What the event did, counted over HTTP (and, as an extra check, in the store). */
  record Report(
      int revoked,
      List<String> revived,
      int loggedOut,
      int live,
      List<String> lost,
      int falseAlarms,
      long eventMillis,
      SortedMap<Integer, Long> statuses,
      long accessRequests,
      long accessDuringEvent,
      List<String> accessNotServed,
      long renewals,
      long renewalsRefused,
      List<String> unexpected) {

    /** Answers with status 500 or above. */
    long serverErrors() {
      return statuses.entrySet().stream()
          .filter(e -> e.getKey() >= 500)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    /**
     * What every event must leave: no 5xx, every request answered as the protocol says, every
     * access-cookie request served (also while the event ran), and no logged-out session renewing.
     */
    void assertAnsweredWithoutRevival() {
      assertThat(serverErrors()).as("5xx answers, statuses %s", statuses).isZero();
      assertThat(unexpected).as("requests not answered as the protocol says").isEmpty();
      assertThat(accessNotServed).as("access-cookie requests not served").isEmpty();
      assertThat(accessDuringEvent)
          .as("access-cookie requests answered while the event ran")
          .isPositive();
      assertThat(revived).as("logged-out sessions that renew again").isEmpty();
    }

    String describe(String event) {
      return String.format(
          Locale.ROOT,
          "%s, %.1f s: 2 app nodes, %d users; HTTP statuses %s (%d 5xx); %d access-cookie requests,"
              + " %d of them during the event, %d not served; %d renewals, %d refused (store"
              + " unavailable); %d logged out right before it, %d revived; %d of %d live users"
              + " logged out, %d false theft alarms, %d live families lost in the store",
          event,
          eventMillis / 1000.0,
          USERS,
          statuses,
          serverErrors(),
          accessRequests,
          accessDuringEvent,
          accessNotServed.size(),
          renewals,
          renewalsRefused,
          revoked,
          revived.size(),
          loggedOut,
          live,
          falseAlarms,
          lost.size());
    }
  }

  /** One user: a cookie jar driven by one renewer thread at a time, read by the access thread. */
  private static final class User {
    final int index;
    final String name;
    final boolean logsOutBeforeEvent;
    String family = "";
    volatile Map<String, String> cookies = Map.of();
    volatile boolean retired; // logged out by the scenario: out of the load
    volatile boolean loggedOut; // a renewal was refused and the cookies cleared
    volatile boolean renewed;
    volatile boolean renewedAfterEvent;
    Map<String, String> beforeLogout = Map.of();

    User(int index) {
      this.index = index;
      this.name = "user-" + index;
      this.logsOutBeforeEvent = index % 3 == 0;
    }
  }

  private final MutableClock clock = new MutableClock(Instant.now());
  private final List<AppNode> nodes = new ArrayList<>();
  private final List<User> users = new ArrayList<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAdder accessRequests = new LongAdder();
  private final LongAdder accessDuringEvent = new LongAdder();
  private final LongAdder renewals = new LongAdder();
  private final LongAdder renewalsRefused = new LongAdder();
  private final List<String> accessNotServed = new CopyOnWriteArrayList<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile boolean duringEvent;
  private volatile boolean eventOver;
  private long eventMillis;
  private final LogCapture log = LogCapture.of("dev.jwtsession");

  private FailoverScenario() {}

  /**
   * Starts nodes A and B with stores pointed by {@code target} (a 2 s command timeout, as the
   * previous store-level scenario had) and logs every user in over HTTP, alternating nodes.
   */
  static FailoverScenario start(Consumer<RedisRefreshTokenStore.Builder> target) throws Exception {
    FailoverScenario scenario = new FailoverScenario();
    try {
      AppNode.Options options =
          AppNode.Options.defaults().withCommandTimeout(Duration.ofSeconds(2));
      scenario.nodes.add(AppNode.start("A", target, scenario.clock, options));
      scenario.nodes.add(AppNode.start("B", target, scenario.clock, options));
      for (int i = 0; i < USERS; i++) {
        User user = new User(i);
        HttpResponse<String> login =
            scenario.send(scenario.node(i).url("/login?sub=" + user.name), Map.of(), true);
        if (login.statusCode() != 204) {
          throw new IllegalStateException("login of " + user.name + ": " + login.statusCode());
        }
        user.cookies = apply(Map.of(), login);
        HttpResponse<String> me =
            scenario.send(scenario.node(i + 1).url("/me"), user.cookies, false);
        user.family = me.body().substring(me.body().indexOf("sid=") + 4);
        scenario.users.add(user);
      }
      return scenario;
    } catch (Exception | Error e) {
      scenario.close();
      throw e;
    }
  }

  /** The family ids of the users who log out right before the event. */
  List<String> revokedFamilies() {
    return users.stream().filter(u -> u.logsOutBeforeEvent).map(u -> u.family).toList();
  }

  /** The family ids of the users who stay logged in. */
  List<String> liveFamilies() {
    return users.stream().filter(u -> !u.logsOutBeforeEvent).map(u -> u.family).toList();
  }

  /** The Redis key of a family (its slot decides its master on a cluster). */
  String familyKey(String family) {
    return nodes.get(0).store().familyKey(family);
  }

  /**
   * Runs the load, logs every third user out, runs {@code event} (returning once the deployment is
   * healthy again), keeps the load running until every other user renewed after it, stops the load
   * and checks every logged-out user's refresh cookie on both nodes.
   */
  Report run(Runnable event) throws InterruptedException {
    List<Thread> load = new ArrayList<>();
    load.add(new Thread(this::accessLoop, "access-cookie requests"));
    for (int r = 0; r < RENEWERS; r++) {
      int share = r;
      load.add(new Thread(() -> renewLoop(share), "renewals-" + r));
    }
    load.forEach(Thread::start);
    try {
      awaitUntil("every user renewed once", () -> users.stream().allMatch(u -> u.renewed));
      for (User user : users) {
        if (user.logsOutBeforeEvent) {
          logOut(user);
        }
      }
      duringEvent = true;
      long eventStart = System.nanoTime();
      try {
        event.run();
      } finally {
        eventMillis = (System.nanoTime() - eventStart) / 1_000_000;
        duringEvent = false;
        eventOver = true;
      }
      awaitUntil(
          "every live user renewed after the event or was logged out",
          () ->
              users.stream()
                  .filter(u -> !u.retired)
                  .allMatch(u -> u.renewedAfterEvent || u.loggedOut));
    } finally {
      stop.set(true);
      for (Thread thread : load) {
        thread.join();
      }
    }
    List<String> revived = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    for (User user : users) {
      if (user.logsOutBeforeEvent) {
        checkRefused(user, revived);
      } else if (!user.loggedOut && !active(user.family)) {
        lost.add(user.name);
      }
    }
    SortedMap<Integer, Long> counted = new TreeMap<>();
    statuses.forEach((status, count) -> counted.put(status, count.sum()));
    long falseAlarms = 0;
    for (AppNode node : nodes) {
      falseAlarms += node.events().count("reuseDetected");
    }
    return new Report(
        (int) users.stream().filter(u -> u.logsOutBeforeEvent).count(),
        revived,
        (int) users.stream().filter(u -> u.loggedOut).count(),
        (int) users.stream().filter(u -> !u.logsOutBeforeEvent).count(),
        lost,
        (int) falseAlarms,
        eventMillis,
        counted,
        accessRequests.sum(),
        accessDuringEvent.sum(),
        List.copyOf(accessNotServed),
        renewals.sum(),
        renewalsRefused.sum(),
        List.copyOf(unexpected));
  }

  /** Requests with each user's access cookie, alternating nodes; each must be served. */
  private void accessLoop() {
    long n = 0;
    while (!stop.get()) {
      for (User user : users) {
        Map<String, String> cookies = user.cookies;
        if (user.retired || user.loggedOut || !cookies.containsKey(ACCESS)) {
          continue;
        }
        boolean during = duringEvent;
        try {
          HttpResponse<String> response = send(node(user.index + (int) n++).url("/me"), cookies);
          accessRequests.increment();
          if (during) {
            accessDuringEvent.increment();
          }
          if (response.statusCode() != 200
              || !response.body().startsWith("sub=" + user.name + ";reauth=false;")) {
            accessNotServed.add(user.name + ": " + response.statusCode() + " " + response.body());
          }
        } catch (IOException | RuntimeException e) {
          unexpected.add("access request of " + user.name + ": " + e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      RedisClusterProcess.pause(5); // a pacing of the load, so the redis-servers get the CPU too
    }
  }

  /** Renewals of the users of one share, each on the node after the one it used last. */
  private void renewLoop(int share) {
    int round = 0;
    while (!stop.get()) {
      for (User user : users) {
        if (user.index % RENEWERS != share) {
          continue;
        }
        synchronized (user) {
          if (user.retired || user.loggedOut) {
            continue;
          }
          try {
            renew(user, node(user.index + round));
          } catch (IOException | RuntimeException e) {
            unexpected.add("renewal of " + user.name + ": " + e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      round++;
    }
  }

  /** One renewal: only the refresh cookie is sent; the answer's cookies are kept. */
  private void renew(User user, AppNode node) throws IOException, InterruptedException {
    boolean after = eventOver;
    Map<String, String> sent = new LinkedHashMap<>(user.cookies);
    sent.remove(ACCESS);
    HttpResponse<String> response = send(node.url("/me"), sent);
    int status = response.statusCode();
    if (status == 200 && response.body().startsWith("sub=" + user.name + ";reauth=true;")) {
      renewals.increment();
      user.cookies = apply(user.cookies, response);
      user.renewed = true;
      user.renewedAfterEvent |= after;
    } else if (status == 401 && Browser.setCookies(response).isEmpty()) {
      renewalsRefused.increment(); // the store was unavailable: the cookies are kept
    } else if (status == 401
        && Browser.setCookies(response).stream().anyMatch(c -> c.startsWith(REFRESH + "="))) {
      user.cookies = apply(user.cookies, response); // cleared: the user must log in again
      user.loggedOut = true;
    } else if (status < 500) {
      unexpected.add(
          "renewal of " + user.name + " on " + node + ": " + status + " " + response.body());
    } // a 5xx is counted by send()
  }

  /**
   * Logs {@code user} out on a node, as the user's browser does. A revocation whose {@code WAIT}
   * the replica did not acknowledge in time fails closed: the node still clears the cookies but
   * logs that the family could not be revoked; the user then retries the logout with the same
   * cookies (idempotent), as a user who is told to retry would.
   */
  private void logOut(User user) {
    synchronized (user) {
      user.retired = true;
      user.beforeLogout = Map.copyOf(user.cookies);
      String failure = "logout could not revoke family " + user.family + " ";
      for (int attempt = 0; attempt < 10; attempt++) {
        long failuresBefore = failures(failure);
        try {
          HttpResponse<String> response =
              send(node(user.index + attempt).url("/logout"), user.beforeLogout, true);
          if (response.statusCode() != 204) {
            unexpected.add("logout of " + user.name + ": " + response.statusCode());
          }
          user.cookies = apply(user.beforeLogout, response);
        } catch (IOException e) {
          unexpected.add("logout of " + user.name + ": " + e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (failures(failure) == failuresBefore) {
          return;
        }
      }
      unexpected.add("the logout of " + user.name + " never revoked its family");
    }
  }

  private long failures(String message) {
    return log.records().stream()
        .filter(r -> r.getMessage() != null && r.getMessage().startsWith(message))
        .count();
  }

  /**
   * After the event: the refresh cookie {@code user} held before logging out must be refused as
   * revoked by both nodes (401, no new cookie, the node heard {@code REVOKED}), and the store must
   * say the family is not active.
   */
  private void checkRefused(User user, List<String> revived) throws InterruptedException {
    Map<String, String> refreshOnly = Map.of(REFRESH, user.beforeLogout.get(REFRESH));
    List<String> accepted = new ArrayList<>();
    for (AppNode node : nodes) {
      long revokedBefore = node.events().count("rejected:REFRESH:REVOKED");
      try {
        HttpResponse<String> response = send(node.url("/me"), refreshOnly);
        boolean refused =
            response.statusCode() == 401
                && response.body().equals("anonymous")
                && Browser.setCookies(response).stream().allMatch(c -> c.contains("Max-Age=0"))
                && node.events().count("rejected:REFRESH:REVOKED") == revokedBefore + 1;
        if (!refused) {
          accepted.add(node + ": " + response.statusCode() + " " + response.body());
        }
      } catch (IOException e) {
        unexpected.add("revocation check of " + user.name + ": " + e);
      }
    }
    if (active(user.family)) {
      accepted.add("the store says its family is active");
    }
    if (!accepted.isEmpty()) {
      revived.add(user.name + " (" + String.join("; ", accepted) + ")");
    }
  }

  private boolean active(String family) {
    return nodes.get(0).store().isActive(family, clock.instant());
  }

  private AppNode node(int i) {
    return nodes.get(Math.floorMod(i, nodes.size()));
  }

  private HttpResponse<String> send(String url, Map<String, String> cookies)
      throws IOException, InterruptedException {
    return send(url, cookies, false);
  }

  /** One request over real HTTP with {@code cookies}; every status is counted. */
  private HttpResponse<String> send(String url, Map<String, String> cookies, boolean post)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(NO_HANG);
    if (!cookies.isEmpty()) {
      StringBuilder header = new StringBuilder();
      cookies.forEach(
          (name, value) ->
              header
                  .append(header.length() == 0 ? "" : "; ")
                  .append(name)
                  .append('=')
                  .append(value));
      request.header("Cookie", header.toString());
    }
    request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
    return response;
  }

  /** The jar after {@code response}'s {@code Set-Cookie} headers, as a browser applies them. */
  private static Map<String, String> apply(Map<String, String> jar, HttpResponse<String> response) {
    Browser browser = new Browser("");
    browser.cookies().putAll(jar);
    browser.apply(response);
    return Map.copyOf(browser.cookies());
  }

  private static void awaitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + NO_HANG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + NO_HANG + ": " + what);
      }
      RedisClusterProcess.pause(50);
    }
  }

  @Override
  public void close() {
    log.close();
    RuntimeException failure = null;
    for (AppNode node : nodes) {
      try {
        node.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
