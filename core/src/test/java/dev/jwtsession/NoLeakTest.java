package dev.jwtsession;

import static dev.jwtsession.fixtures.TokenForge.ACCESS_HEADER;
import static dev.jwtsession.fixtures.TokenForge.accessPayload;
import static dev.jwtsession.fixtures.TokenForge.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.LogCapture;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rejections go to the listener and the log, never into a response; and neither the log (through
 * the default {@link LoggingListener}, at every level) nor any {@code toString()} holds a token or
 * a secret.
 */
class NoLeakTest {

  static final String ACCESS_SECRET = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH_SECRET = "test-refresh-secret-that-is-32-bytes-long";

  final MutableClock clock = MutableClock.atFixedStart();
  LogCapture log;

  @BeforeEach
  void captureTheLog() {
    log = LogCapture.of("dev.jwtsession");
  }

  @AfterEach
  void restoreTheLog() {
    log.close();
  }

  @Test
  void neitherTheLogNorAnyToStringHoldsATokenOrASecret() {
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret(ACCESS_SECRET))
            .refresh(
                t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
            .reauth(
                refresh -> {
                  throw new IllegalStateException("user store down");
                })
            .clock(clock)
            .build();
    RecordingCookieSink loginSink = new RecordingCookieSink();
    Session loggedIn = engine.resolve(null, loginSink);
    loggedIn.login(
        Payloads.of(Map.of("sub", "j@doe", "email", "j@doe.example"), Map.of("sub", "j@doe")));
    Map<String, String> jar = loginSink.applyTo(Map.of());
    String access = jar.get("app_session");
    String refresh = jar.get("app_refresh");
    String forged = hs256(ACCESS_HEADER, accessPayload(0, "\"x\":1,\"x\":2"), ACCESS_SECRET);
    List<String> hostile =
        List.of(
            "app_session=" + access.substring(0, access.length() - 3) + "AAA",
            "app_session=" + forged,
            "app_session=" + access + "; app_session=" + forged,
            "app_session=" + "A".repeat(5000),
            "app_refresh=" + refresh + "; app_session=" + refresh);
    List<String> seen = new ArrayList<>();
    for (String header : hostile) {
      RecordingCookieSink sink = new RecordingCookieSink();
      Session session = engine.resolve(header, sink);
      assertThat(session.isAuthenticated()).isFalse();
      seen.add(session.toString());
      seen.add(session.claims().toString());
    }
    clock.advance(Duration.ofMinutes(2));
    Session afterReauthFailure =
        engine.resolve(
            "app_session=" + access + "; app_refresh=" + refresh, new RecordingCookieSink());
    assertThat(afterReauthFailure.isAuthenticated()).isFalse();
    seen.add(afterReauthFailure.toString());
    seen.add(loggedIn.toString());
    seen.add(loggedIn.claims().toString());
    seen.add(engine.toString());
    seen.add(engine.accessSettings().toString());
    seen.add(engine.accessSettings().keys().toString());

    assertThat(log.lines()).as("log lines").isNotEmpty();
    seen.addAll(log.lines());
    for (String text : seen) {
      for (String secret : List.of(ACCESS_SECRET, REFRESH_SECRET, "j@doe.example")) {
        assertThat(text).doesNotContain(secret);
      }
      for (String token : List.of(access, refresh, forged)) {
        for (String part : token.split("\\.")) {
          assertThat(text).doesNotContain(part.substring(0, Math.min(part.length(), 16)));
        }
      }
    }
  }
}
