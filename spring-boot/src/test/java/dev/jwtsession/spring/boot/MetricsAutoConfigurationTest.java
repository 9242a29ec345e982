package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.RefreshResult;
import dev.jwtsession.SessionListener;
import dev.jwtsession.TokenPair;
import dev.jwtsession.micrometer.JwtSessionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 17 Part B test 5: with {@code jwt-session-micrometer} and a {@code MeterRegistry} bean the
 * starter registers the meters, hears the engine, times the store and observes the {@code Reauth};
 * with {@code jwt-session.metrics.enabled=false} or without Micrometer there are none.
 */
class MetricsAutoConfigurationTest {

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JwtSessionAutoConfiguration.class, JwtSessionMetricsAutoConfiguration.class))
          .withPropertyValues(TestSecrets.PROPERTIES)
          .withPropertyValues("jwt-session.rotation.enabled=true");

  /** A registry as Boot's actuator would give (Boot binds MeterBinder beans there itself). */
  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  /** An observation registry recording the names of the observations started. */
  @Configuration(proxyBeanMethods = false)
  static class Observations {
    final List<String> started = new CopyOnWriteArrayList<>();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry
          .observationConfig()
          .observationHandler(
              new ObservationHandler<Observation.Context>() {
                @Override
                public void onStart(Observation.Context context) {
                  started.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                  return true;
                }
              });
      return registry;
    }
  }

  static String loginAndRefresh(JwtSession engine) {
    TokenPair pair =
        engine.issueTokens(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
    RefreshResult result = engine.refreshTokens(pair.refreshToken().orElseThrow());
    return result.outcome().name();
  }

  @Test
  void withAMeterRegistryBeanTheEngineCountsLoginsAndRenewalsAndTimesTheStore() {
    runner
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(JwtSessionMetrics.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              // What Boot's MeterRegistryPostProcessor does with every MeterBinder bean.
              context.getBean(JwtSessionMetrics.class).bindTo(registry);

              assertThat(loginAndRefresh(context.getBean(JwtSession.class))).isEqualTo("RENEWED");

              assertThat(registry.get("jwt.session.logins").counter().count()).isEqualTo(1.0);
              assertThat(
                      registry
                          .get("jwt.session.reauthentications")
                          .tag("outcome", "renewed")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(
                      registry
                          .get("jwt.session.store")
                          .tag("operation", "register")
                          .tag("outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1L);
              assertThat(
                      registry
                          .get("jwt.session.store")
                          .tag("operation", "rotate")
                          .tag("outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1L);
            });
  }

  /** A listener bean recording the subjects whose families the store evicted. */
  @Configuration(proxyBeanMethods = false)
  static class Evictions {
    final List<String> evicted = new CopyOnWriteArrayList<>();

    @Bean
    SessionListener evictionRecorder() {
      return new SessionListener() {
        @Override
        public void familyEvicted(String subject, String familyId, Eviction cause) {
          evicted.add(subject + " " + cause);
        }
      };
    }
  }

  @Test
  void withMetricsTheWrappedDefaultStoreStillReportsEvictionsToTheListenerBeans() {
    runner
        .withUserConfiguration(Registry.class, Evictions.class)
        .run(
            context -> {
              JwtSession engine = context.getBean(JwtSession.class);
              int cap = InMemoryRefreshTokenStore.DEFAULT_MAX_FAMILIES_PER_SUBJECT;
              for (int i = 0; i <= cap; i++) {
                engine.issueTokens(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
              }

              assertThat(context.getBean(Evictions.class).evicted)
                  .containsExactly("alice SUBJECT_CAP");
            });
  }

  @Test
  void withAnObservationRegistryBeanTheReauthIsObserved() {
    runner
        .withUserConfiguration(Registry.class, Observations.class)
        .run(
            context -> {
              assertThat(loginAndRefresh(context.getBean(JwtSession.class))).isEqualTo("RENEWED");

              assertThat(context.getBean(Observations.class).started)
                  .containsExactly("jwt.session.reauth");
            });
  }

  @Test
  void withoutAnObservationRegistryTheReauthIsNotWrappedAndStillRenews() {
    runner
        .withUserConfiguration(Registry.class)
        .run(
            context ->
                assertThat(loginAndRefresh(context.getBean(JwtSession.class)))
                    .isEqualTo("RENEWED"));
  }

  @Test
  void withMetricsDisabledThereAreNoMeters() {
    runner
        .withUserConfiguration(Registry.class, Observations.class)
        .withPropertyValues("jwt-session.metrics.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(JwtSessionMetrics.class);
              assertThat(loginAndRefresh(context.getBean(JwtSession.class))).isEqualTo("RENEWED");
              assertThat(context.getBean(MeterRegistry.class).getMeters()).isEmpty();
              assertThat(context.getBean(Observations.class).started).isEmpty();
            });
  }

  @Test
  void withoutJwtSessionMicrometerOnTheClasspathThereAreNoMeters() {
    runner
        .withUserConfiguration(Registry.class)
        .withClassLoader(new FilteredClassLoader(JwtSessionMetrics.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(JwtSessionMetrics.class);
              assertThat(loginAndRefresh(context.getBean(JwtSession.class))).isEqualTo("RENEWED");
              assertThat(context.getBean(MeterRegistry.class).getMeters()).isEmpty();
            });
  }

  @Test
  void withoutAMeterRegistryBeanThereAreNoMetricsBeans() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(JwtSessionMetrics.class);
          assertThat(context.getBeansOfType(EngineDecorator.class)).isEmpty();
        });
  }
}
