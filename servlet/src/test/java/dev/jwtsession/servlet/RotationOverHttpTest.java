package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Refresh-token rotation, reuse detection and revocation over real HTTP. */
@ExtendWith(SessionInvariants.class)
class RotationOverHttpTest {

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
  final AtomicInteger reauthCalls = new AtomicInteger();
  TestApp app;

  Browser start() throws Exception {
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secure(false)
                        .secret("rotation-test-access-secret-32-bytes-long"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secure(false)
                        .secret("rotation-test-refresh-secret-32-bytes-lon"))
            .reauth(
                refresh -> {
                  reauthCalls.incrementAndGet();
                  sleepQuietly(); // a user lookup takes a moment: concurrent requests overlap it
                  return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
                })
            .rotation(
                r -> r.store(store).reuseGrace(Duration.ofSeconds(5)).checkAccessRevocation(true))
            .clock(clock)
            .listener(listener)
            .build();
    app = TestApp.start(engine);
    return new Browser(app.url());
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void fiftyConcurrentRequestsWithOneExpiredSessionShareOneReauthAndOneSuccessorPair()
      throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    String family = sidOf(browser.get("/me").body());
    clock.advance(Duration.ofMinutes(2));

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(browser.sendAsync(browser.request("/me").GET().build()));
    }

    Set<List<String>> cookiePairs = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> future : responses) {
      HttpResponse<String> response = future.join();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("sub=alice;reauth=true;rot=1;sid=" + family);
      List<String> setCookies =
          Browser.setCookies(response).stream()
              .map(c -> c.substring(0, c.indexOf(';')))
              .sorted()
              .toList();
      assertThat(setCookies).hasSize(2);
      cookiePairs.add(setCookies);
      browser.apply(response);
    }
    assertThat(cookiePairs).hasSize(1);
    assertThat(reauthCalls).hasValue(1);
    assertThat(listener.count("reuseDetected")).isZero();
    assertThat(listener.count("reauthenticated")).isEqualTo(1);
    assertThat(store.isActive(family, clock.instant())).isTrue();
    assertThat(store.size()).isEqualTo(1);

    // The store is consistent: the successor rotates normally once its access token expires.
    clock.advance(Duration.ofMinutes(2));
    assertThat(browser.get("/me").body()).startsWith("sub=alice;reauth=true;rot=2;sid=" + family);
    assertThat(listener.count("reuseDetected")).isZero();
  }

  @Test
  void replayAfterTheSuccessorWasUsedAndTheGraceWindowRevokesTheFamilyAndRefusesTheSuccessorToo()
      throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    String stolenRefresh = browser.cookies().get("app_refresh");
    clock.advance(Duration.ofMinutes(2));
    assertThat(browser.get("/me").body()).contains("reauth=true");
    // Protocol v2: until its successor is used, the stolen token is indistinguishable from a lost
    // reply; the victim's next renewal uses the successor.
    clock.advance(Duration.ofMinutes(2));
    assertThat(browser.get("/me").body()).contains("rot=2");

    clock.advance(Duration.ofSeconds(30));
    Browser thief = new Browser(app.url());
    thief.cookies().put("app_refresh", stolenRefresh);
    HttpResponse<String> replay = thief.get("/me");

    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(Browser.setCookies(replay)).hasSize(2).allMatch(c -> c.contains("Max-Age=0"));
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
    assertThat(browser.get("/me").statusCode())
        .as("the victim's rotated access token is refused too: the family is revoked")
        .isEqualTo(401);
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
  }

  @Test
  void logoutRevokesTheFamilySoAReplayedRefreshTokenIsRefused() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    String oldRefresh = browser.cookies().get("app_refresh");
    browser.post("/logout");

    clock.advance(Duration.ofMinutes(2));
    Browser replayer = new Browser(app.url());
    replayer.cookies().put("app_refresh", oldRefresh);

    assertThat(replayer.get("/me").statusCode()).isEqualTo(401);
    assertThat(listener.events()).contains("rejected:REFRESH:REVOKED");
  }

  @Test
  void logOutEverywhereEndsEverySessionOfTheUserAndNoOtherUsers() throws Exception {
    Browser laptop = start();
    Browser phone = new Browser(app.url());
    Browser bob = new Browser(app.url());
    laptop.post("/login?sub=alice");
    phone.post("/login?sub=alice");
    bob.post("/login?sub=bob");

    HttpResponse<String> response =
        laptop.send(
            laptop.request("/logout-all").POST(HttpRequest.BodyPublishers.noBody()).build());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(laptop.get("/me").statusCode()).isEqualTo(401);
    assertThat(phone.get("/me").statusCode()).isEqualTo(401);
    assertThat(bob.get("/me").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    assertThat(phone.get("/me").statusCode()).isEqualTo(401);
    assertThat(bob.get("/me").body()).contains("reauth=true");
  }

  @Test
  void rotationNeverCarriesAFamilyPastItsAbsoluteExpiry() throws Exception {
    Browser browser = start();
    browser.post("/login?sub=alice");
    Instant loginTime = clock.instant();
    for (int day = 0; day < 6; day++) {
      clock.advance(Duration.ofDays(1));
      assertThat(browser.get("/me").body()).contains("reauth=true");
    }
    clock.advance(Duration.ofDays(1)); // seven days after login: the absolute lifetime is over
    assertThat(clock.instant()).isEqualTo(loginTime.plus(Duration.ofDays(7)));

    assertThat(browser.get("/me").statusCode()).isEqualTo(401);
    assertThat(listener.events()).contains("rejected:REFRESH:ABSOLUTE_LIFETIME_EXCEEDED");
  }

  private static String sidOf(String body) {
    return body.substring(body.indexOf("sid=") + 4);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
