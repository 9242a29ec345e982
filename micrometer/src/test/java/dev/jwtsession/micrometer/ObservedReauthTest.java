package dev.jwtsession.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.SessionListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

class ObservedReauthTest {

  private final TestObservationRegistry observations = TestObservationRegistry.create();

  private Scenario scenario() {
    return new Scenario(
        new SimpleMeterRegistry(),
        new SessionListener() {},
        reauth -> new ObservedReauth(reauth, observations));
  }

  @Test
  void eachReauthCallIsOneObservationWithItsOutcome() {
    Scenario scenario = scenario();
    String alice = scenario.login("alice").get("app_refresh");
    String bob = scenario.login("bob").get("app_refresh");
    String mallory = scenario.login("mallory").get("app_refresh");
    scenario.clock.advance(Scenario.ACCESS_EXPIRED);

    assertThat(scenario.renew(alice)).isPresent();
    scenario.renew(bob);
    scenario.renew(mallory);

    assertThat(scenario.reauthCalls).isEqualTo(3);
    assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(ObservedReauth.NAME, 3)
        .forAllObservationsWithNameEqualTo(
            ObservedReauth.NAME, o -> o.hasLowCardinalityKeyValueWithKey("outcome"))
        .hasAnObservationWithAKeyValue("outcome", "renewed")
        .hasAnObservationWithAKeyValue("outcome", "refused")
        .hasAnObservationWithAKeyValue("outcome", "failed");
  }

  @Test
  void aThrowingReauthRecordsTheErrorOnTheObservation() {
    Scenario scenario = scenario();
    String mallory = scenario.login("mallory").get("app_refresh");
    scenario.clock.advance(Scenario.ACCESS_EXPIRED);

    scenario.renew(mallory);

    assertThat(observations)
        .hasSingleObservationThat()
        .hasNameEqualTo(ObservedReauth.NAME)
        .hasLowCardinalityKeyValue("outcome", "failed")
        .assertThatError()
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aValidAccessCookieStartsNoObservation() {
    Scenario scenario = scenario();
    String access = scenario.login("alice").get("app_session");

    assertThat(scenario.resolve("app_session=" + access).isAuthenticated()).isTrue();

    assertThat(observations).doesNotHaveAnyObservation();
  }
}
