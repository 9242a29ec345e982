package dev.jwtsession.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.RejectionReason;
import dev.jwtsession.SessionListener;
import dev.jwtsession.TokenType;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.RecordingCookieSink;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JwtSessionMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final JwtSessionMetrics metrics = new JwtSessionMetrics();
  private final CapturingListener heard = new CapturingListener();

  private Scenario scenario() {
    metrics.bindTo(registry);
    return new Scenario(
        registry, SessionListener.composite(metrics, heard), UnaryOperator.identity());
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private long storeSamples(String operation, String outcome) {
    return registry
        .get("jwt.session.store")
        .tags("operation", operation, "outcome", outcome)
        .timer()
        .count();
  }

  @Test
  void theScriptedScenarioCountsEveryEventExactlyOnce() {
    Scenario scenario = scenario();

    scenario.run();

    assertThat(count("jwt.session.logins")).isEqualTo(7);
    assertThat(count("jwt.session.reauthentications", "outcome", "renewed")).isEqualTo(3);
    assertThat(count("jwt.session.reauthentications", "outcome", "refused")).isEqualTo(1);
    assertThat(count("jwt.session.reauthentications", "outcome", "failed")).isEqualTo(1);
    assertThat(count("jwt.session.reauthentications", "outcome", "store.unavailable")).isEqualTo(1);
    assertThat(count("jwt.session.reuse.detections")).isEqualTo(1);
    assertThat(count("jwt.session.logouts")).isEqualTo(1);
    assertThat(count("jwt.session.revocations")).isEqualTo(2);
    Map<String, Integer> rejections =
        Map.of(
            "access/malformed", 1,
            "access/bad.signature", 1,
            "access/wrong.token.type", 1,
            "access/duplicate.cookie", 1,
            "refresh/reuse.detected", 1,
            "refresh/reauth.failed", 1,
            "refresh/store.unavailable", 1);
    for (TokenType type : TokenType.values()) {
      for (RejectionReason reason : RejectionReason.values()) {
        String token = type.name().toLowerCase(java.util.Locale.ROOT);
        String key = token + "/" + JwtSessionMetrics.tagValue(reason);
        assertThat(count("jwt.session.rejections", "token", token, "reason", key.split("/")[1]))
            .as(key)
            .isEqualTo(rejections.getOrDefault(key, 0).doubleValue());
      }
    }
    // The listener heard the same events the counters counted.
    assertThat(heard.events().stream().filter(e -> e.startsWith("rejected:")).count()).isEqualTo(7);
  }

  @Test
  void theStoreTimerHasOneSamplePerStoreCallWithItsOutcome() {
    Scenario scenario = scenario();

    scenario.run();

    assertThat(storeSamples("register", "success")).isEqualTo(7);
    // Protocol v2 asks the store before Reauth: besides the 3 renewals and the reuse, the refused
    // (bob) and the throwing (mallory) reauths rotate first.
    assertThat(storeSamples("rotate", "success")).isEqualTo(6);
    assertThat(storeSamples("rotate", "unavailable")).isEqualTo(1);
    assertThat(storeSamples("revoke.family", "success")).isEqualTo(2);
    assertThat(storeSamples("revoke.subject", "success")).isEqualTo(1);
    long samples =
        registry.get("jwt.session.store").timers().stream().mapToLong(Timer::count).sum();
    assertThat(samples).isEqualTo(scenario.counted.totalCalls()).isEqualTo(17);
    for (String operation :
        new String[] {"register", "rotate", "is.active", "revoke.family", "revoke.subject"}) {
      long perOperation =
          registry.get("jwt.session.store").tag("operation", operation).timers().stream()
              .mapToLong(Timer::count)
              .sum();
      assertThat(perOperation).as(operation).isEqualTo(scenario.counted.calls(operation));
    }
  }

  @Test
  void theNumberOfMetersStaysBoundedWhateverClientsSend() {
    Scenario scenario = scenario();
    String token = scenario.login("zoe").get("app_session");

    for (String header : Scenario.hostileCookieHeaders(token)) {
      scenario.resolve(header);
    }
    scenario.run();

    assertThat(registry.getMeters()).hasSizeLessThanOrEqualTo(5 + 4 + 2 * 19 + 5 * 3);
    assertThat(registry.getMeters())
        .hasSize(JwtSessionMetrics.MAX_METERS + MeteredRefreshTokenStore.METERS);
    assertThat(count("jwt.session.rejections", "token", "access", "reason", "malformed"))
        .isGreaterThan(100);
  }

  @Test
  void tagValuesComeFromFixedSetsNeverFromTheRequest() {
    Scenario scenario = scenario();
    String token = scenario.login("zoe").get("app_session");
    for (String header : Scenario.hostileCookieHeaders(token)) {
      scenario.resolve(header);
    }
    scenario.run();

    Set<String> allowed = new HashSet<>();
    allowed.addAll(Set.of("access", "refresh", "renewed", "refused", "failed"));
    allowed.addAll(Set.of("store.unavailable", "success", "unavailable", "error"));
    allowed.addAll(Set.of("register", "rotate", "is.active", "revoke.family", "revoke.subject"));
    for (RejectionReason reason : RejectionReason.values()) {
      allowed.add(JwtSessionMetrics.tagValue(reason));
    }
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getName()).startsWith("jwt.session.");
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getKey()).isIn("outcome", "token", "reason", "operation");
        assertThat(tag.getValue()).as(meter.getId().toString()).isIn(allowed);
      }
    }
  }

  @Test
  void rejectionReasonsAreTaggedInLowerCaseDotForm() {
    assertThat(JwtSessionMetrics.tagValue(RejectionReason.BAD_SIGNATURE))
        .isEqualTo("bad.signature");
    assertThat(JwtSessionMetrics.tagValue(RejectionReason.MALFORMED)).isEqualTo("malformed");
  }

  @Test
  void aLogoutTheStoreCouldNotRevokeIsCountedAsARevocationFailure() {
    Scenario scenario = scenario();
    Map<String, String> carol = scenario.login("carol");
    scenario.counted.down = true;

    boolean revoked = scenario.resolve(RecordingCookieSink.cookieHeader(carol)).logout();

    assertThat(revoked).isFalse();
    assertThat(count("jwt.session.revocation.failures")).isEqualTo(1);
    assertThat(count("jwt.session.logouts")).isEqualTo(1);
    assertThat(heard.events()).contains("revocationFailed");
  }

  @Test
  void everyCounterExistsAtZeroRightAfterBinding() {
    metrics.bindTo(registry);

    assertThat(registry.getMeters()).hasSize(JwtSessionMetrics.MAX_METERS);
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.measure().iterator().next().getValue()).isZero());
  }

  @Test
  void aMetricsListenerBoundToTwoRegistriesCountsInBoth() {
    MeterRegistry other = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    metrics.bindTo(other);

    metrics.rejected(TokenType.REFRESH, RejectionReason.EXPIRED);

    assertThat(count("jwt.session.rejections", "token", "refresh", "reason", "expired"))
        .isEqualTo(1);
    assertThat(
            other
                .get("jwt.session.rejections")
                .tags("token", "refresh", "reason", "expired")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anUnboundMetricsListenerHearsEventsWithoutFailing() {
    metrics.rejected(TokenType.ACCESS, RejectionReason.MALFORMED);
    metrics.revoked("x", 3);

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aValidAccessCookieRecordsNothing() {
    Scenario scenario = scenario();
    String header = "app_session=" + scenario.login("zoe").get("app_session");
    double before = registry.getMeters().stream().mapToDouble(JwtSessionMetricsTest::sum).sum();

    for (int i = 0; i < 10; i++) {
      assertThat(scenario.resolve(header).isAuthenticated()).isTrue();
    }

    double after = registry.getMeters().stream().mapToDouble(JwtSessionMetricsTest::sum).sum();
    assertThat(after).isEqualTo(before);
  }

  private static double sum(Meter meter) {
    double total = 0;
    for (var measurement : meter.measure()) {
      if (measurement.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT) {
        total += measurement.getValue();
      }
    }
    return total;
  }
}
