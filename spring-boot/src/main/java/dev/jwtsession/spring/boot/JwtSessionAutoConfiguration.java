package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Reauth;
import dev.jwtsession.SessionListener;
import dev.jwtsession.spi.RefreshTokenStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@link JwtSession} bean from the {@code jwt-session.*} properties ({@link
 * JwtSessionProperties}) and the application's optional beans: a {@link Reauth}, a {@link
 * RefreshTokenStore}, every {@link SessionListener} (in {@code @Order}, joined by the default
 * logging listener) and the {@link JwtSessionBuilderCustomizer}s, applied last. A {@code
 * JwtSession} bean of the application replaces this one.
 *
 * <p>With {@code jwt-session.rotation.store=redis} and {@code jwt-session-redis} on the classpath,
 * a {@code RedisRefreshTokenStore} bean is built from {@code jwt-session.redis.url}, else Spring's
 * {@code spring.data.redis.url}, else {@code spring.data.redis.host}/{@code port}/{@code
 * password}/{@code database}/{@code ssl.enabled}; it is closed with the context.
 *
 * <p>Every configuration mistake fails startup with one {@link
 * dev.jwtsession.JwtSessionConfigException} listing all problems by property name.
 */
@AutoConfiguration
@ConditionalOnClass(JwtSession.class)
@EnableConfigurationProperties(JwtSessionProperties.class)
public class JwtSessionAutoConfiguration {

  /** Used by Spring Boot. */
  public JwtSessionAutoConfiguration() {}

  /** The engine: properties, then the optional beans, then the customizers. */
  @Bean
  @ConditionalOnMissingBean
  public JwtSession jwtSession(
      JwtSessionProperties properties,
      ApplicationContext context,
      ObjectProvider<Reauth> reauths,
      ObjectProvider<RefreshTokenStore> stores,
      ObjectProvider<SessionListener> listeners,
      ObjectProvider<JwtSessionBuilderCustomizer> customizers,
      ObjectProvider<EngineDecorator> decorators) {
    ListableBeanFactory beans = context;
    EngineFactory factory =
        new EngineFactory(
            properties,
            named(beans, Reauth.class, reauths),
            named(beans, RefreshTokenStore.class, stores),
            listeners.orderedStream().toList(),
            named(beans, JwtSessionBuilderCustomizer.class, customizers),
            ClassUtils.isPresent(EngineFactory.REDIS_STORE_CLASS, context.getClassLoader()));
    return factory.decorators(decorators.orderedStream().toList()).create();
  }

  /** The beans of a type in {@code @Order}, with their names for messages. */
  private static <T> List<EngineFactory.Named<T>> named(
      ListableBeanFactory beans, Class<T> type, ObjectProvider<T> provider) {
    IdentityHashMap<Object, String> names = new IdentityHashMap<>();
    beans.getBeansOfType(type).forEach((name, bean) -> names.put(bean, name));
    List<EngineFactory.Named<T>> ordered = new ArrayList<>();
    provider
        .orderedStream()
        .forEach(
            bean ->
                ordered.add(
                    new EngineFactory.Named<>(
                        names.getOrDefault(bean, bean.getClass().getName()), bean)));
    return ordered;
  }

  /** The Redis refresh-token store, with {@code jwt-session.rotation.store=redis}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = EngineFactory.REDIS_STORE_CLASS)
  @ConditionalOnProperty(prefix = "jwt-session.rotation", name = "store", havingValue = "redis")
  static class RedisStoreConfiguration {

    @Bean
    @ConditionalOnMissingBean(RefreshTokenStore.class)
    dev.jwtsession.redis.RedisRefreshTokenStore jwtSessionRedisStore(
        JwtSessionProperties properties, Environment environment) {
      return RedisStoreFactory.create(properties, environment);
    }
  }
}
