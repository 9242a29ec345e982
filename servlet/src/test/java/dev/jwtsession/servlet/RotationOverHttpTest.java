package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import dev.jwtsession.testkit.SessionInvariants;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refresh-token rotation over real HTTP beyond the adapter contract (which covers concurrent
 * renewal, reuse detection and log out everywhere in {@link JettyServletContractTest}).
 */
@ExtendWith(SessionInvariants.class)
class RotationOverHttpTest {

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final InMemoryRefreshTokenStore store = InMemoryRefreshTokenStore.create();
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
            .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
            .rotation(
                r -> r.store(store).reuseGrace(Duration.ofSeconds(5)).checkAccessRevocation(true))
            .clock(clock)
            .listener(listener)
            .build();
    app = TestApp.start(SessionInvariants.watch(engine));
    return new Browser(app.url());
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
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
}
