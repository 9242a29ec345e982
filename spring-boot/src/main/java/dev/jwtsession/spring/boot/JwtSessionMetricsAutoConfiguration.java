package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Reauth;
import dev.jwtsession.micrometer.JwtSessionMetrics;
import dev.jwtsession.micrometer.MeteredRefreshTokenStore;
import dev.jwtsession.micrometer.ObservedReauth;
import dev.jwtsession.spi.RefreshTokenStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for the auto-configured {@link JwtSession}, with {@code
 * jwt-session-micrometer} on the classpath, a {@link MeterRegistry} bean and {@code
 * jwt-session.metrics.enabled} not {@code false}: a {@link JwtSessionMetrics} bean (Boot binds
 * every {@code MeterBinder} bean; as a {@code SessionListener} bean it joins the engine's
 * listeners), the refresh-token store wrapped in a {@link MeteredRefreshTokenStore} and, when an
 * {@link ObservationRegistry} bean exists, the {@link Reauth} in an {@link ObservedReauth}.
 */
@AutoConfiguration(
    before = JwtSessionAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
    })
@ConditionalOnClass({JwtSession.class, JwtSessionMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = "jwt-session.metrics",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class JwtSessionMetricsAutoConfiguration {

  /** Used by Spring Boot. */
  public JwtSessionMetricsAutoConfiguration() {}

  /** The counters, bound by Boot to every registry and heard by the engine as a listener. */
  @Bean
  @ConditionalOnMissingBean
  public JwtSessionMetrics jwtSessionMetrics() {
    return new JwtSessionMetrics();
  }

  /** Times the store in the registry and observes the {@code Reauth} if observations exist. */
  @Bean
  EngineDecorator jwtSessionMetricsDecorator(
      ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
    return new EngineDecorator() {
      @Override
      public RefreshTokenStore store(RefreshTokenStore store) {
        return new MeteredRefreshTokenStore(store, meters.getObject());
      }

      @Override
      public Reauth reauth(Reauth reauth) {
        ObservationRegistry registry = observations.getIfAvailable();
        return registry == null ? reauth : new ObservedReauth(reauth, registry);
      }
    };
  }
}
