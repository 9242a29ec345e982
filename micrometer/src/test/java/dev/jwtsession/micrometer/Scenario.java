package dev.jwtsession.micrometer;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.Session;
import dev.jwtsession.SessionListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The scripted engine scenario of the metrics tests: an engine with rotation on a metered, counting
 * in-memory store, and a {@code Reauth} that renews everyone except {@code bob} (refused) and
 * {@code mallory} (throws).
 */
final class Scenario {

  static final String ACCESS_SECRET = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH_SECRET = "test-refresh-secret-that-is-32-bytes-long";

  /** Past the 60 s access lifetime and the 5 s leeway. */
  static final Duration ACCESS_EXPIRED = Duration.ofSeconds(70);

  final MutableClock clock = MutableClock.atFixedStart();
  final CountingStore counted = new CountingStore(InMemoryRefreshTokenStore.create());
  final JwtSession engine;
  int reauthCalls;

  Scenario(MeterRegistry registry, SessionListener listener, UnaryOperator<Reauth> wrap) {
    Reauth reauth =
        refresh -> {
          reauthCalls++;
          String subject = refresh.subject().orElseThrow();
          if (subject.equals("mallory")) {
            throw new IllegalStateException("user directory down");
          }
          return subject.equals("bob")
              ? Optional.empty()
              : Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
        };
    MeteredRefreshTokenStore store = new MeteredRefreshTokenStore(counted, registry);
    engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret(ACCESS_SECRET))
            .refresh(
                t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
            .reauth(wrap.apply(reauth))
            .rotation(r -> r.store(store))
            .clock(clock)
            .listener(listener)
            .build();
  }

  /** Logs {@code subject} in; the cookie jar the browser then holds. */
  Map<String, String> login(String subject) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", subject), Map.of("sub", subject)));
    return sink.applyTo(Map.of());
  }

  /** A request with only this refresh cookie; the renewed refresh token, if any. */
  Optional<String> renew(String refreshToken) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve("app_refresh=" + refreshToken, sink);
    return sink.value("app_refresh").filter(v -> !v.isEmpty());
  }

  Session resolve(String cookieHeader) {
    return engine.resolve(cookieHeader, new RecordingCookieSink());
  }

  /**
   * The script of the issue: login, 3 renewals, 1 refusal, 4 hostile cookies with known reasons, a
   * reuse after grace, a logout, log out everywhere of 2 families, a Reauth that throws and a store
   * outage.
   */
  void run() {
    String r0 = login("alice").get("app_refresh");
    clock.advance(ACCESS_EXPIRED);
    String r1 = renew(r0).orElseThrow();
    clock.advance(ACCESS_EXPIRED);
    String r2 = renew(r1).orElseThrow();
    clock.advance(ACCESS_EXPIRED);
    String r3 = renew(r2).orElseThrow();

    Map<String, String> bob = login("bob");
    clock.advance(ACCESS_EXPIRED);
    renew(bob.get("app_refresh")); // refused

    String bobAccess = bob.get("app_session");
    int at = bobAccess.length() - 10;
    char swapped = bobAccess.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = bobAccess.substring(0, at) + swapped + bobAccess.substring(at + 1);
    resolve("app_session=not-a-jwt"); // MALFORMED
    resolve("app_session=" + tampered); // BAD_SIGNATURE
    resolve("app_session=" + r3); // WRONG_TOKEN_TYPE
    resolve("app_session=a; app_session=b"); // DUPLICATE_COOKIE

    // r1's successor r2 has been used (it renewed into r3), so r1 long after the grace window is
    // reuse (protocol v2: an unused successor would make it a lost reply, renewed).
    renew(r1); // REUSE_DETECTED

    Map<String, String> carol = login("carol");
    resolve(RecordingCookieSink.cookieHeader(carol)).logout();

    login("dave");
    login("dave");
    engine.revokeAllSessions("dave");

    String mallory = login("mallory").get("app_refresh");
    clock.advance(ACCESS_EXPIRED);
    renew(mallory); // Reauth throws

    String erin = login("erin").get("app_refresh");
    clock.advance(ACCESS_EXPIRED);
    counted.down = true;
    renew(erin); // store unavailable
    counted.down = false;
  }

  /** 300 hostile Cookie headers: known shapes and seeded random junk in both cookies. */
  static List<String> hostileCookieHeaders(String validToken) {
    List<String> hostile =
        new ArrayList<>(
            List.of(
                "app_session=",
                "app_session",
                "=app_session",
                ";;;;",
                "app_session=\"\"",
                "app_session=" + validToken + "; app_session=" + validToken + "x",
                "app_session=eyJhbGciOiJub25lIn0.e30.",
                "app_session=" + "A".repeat(5000),
                "app_refresh=" + validToken,
                "app_session=%00%0d%0a",
                "app_session=\u00e9\u00e9",
                "app_refresh=" + "B".repeat(5000)));
    Random random = new Random(42);
    String alphabet = "abcAZ09-_.=;\" ,%+/";
    while (hostile.size() < 300) {
      StringBuilder value =
          new StringBuilder(hostile.size() % 2 == 0 ? "app_session=" : "app_refresh=");
      int length = random.nextInt(400);
      for (int j = 0; j < length; j++) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      hostile.add(value.toString());
    }
    return hostile;
  }
}
