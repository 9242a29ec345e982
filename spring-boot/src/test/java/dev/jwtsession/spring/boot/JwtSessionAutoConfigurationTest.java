package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.RejectionReason;
import dev.jwtsession.SameSite;
import dev.jwtsession.Session;
import dev.jwtsession.SessionListener;
import dev.jwtsession.TokenType;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import dev.jwtsession.servlet.JwtSessionFilter;
import dev.jwtsession.spi.RefreshTokenStore;
import io.lettuce.core.RedisURI;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The auto-configuration without a server: which beans exist, and what the properties set. */
class JwtSessionAutoConfigurationTest {

  static final AutoConfigurations AUTO_CONFIGURATIONS =
      AutoConfigurations.of(
          JwtSessionAutoConfiguration.class, JwtSessionServletAutoConfiguration.class);

  final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AUTO_CONFIGURATIONS)
          .withPropertyValues(TestSecrets.PROPERTIES);

  final ApplicationContextRunner plain =
      new ApplicationContextRunner()
          .withConfiguration(AUTO_CONFIGURATIONS)
          .withPropertyValues(TestSecrets.PROPERTIES);

  @Test
  void twoSecretsGiveTheEngineTheFilterAndTheSessionArgumentResolver() {
    web.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(JwtSession.class);
          assertThat(context).hasSingleBean(SessionArgumentResolver.class);
          assertThat(context).hasSingleBean(WebMvcConfigurer.class);
          FilterRegistrationBean<?> filter =
              context.getBean("jwtSessionFilterRegistration", FilterRegistrationBean.class);
          assertThat(filter.getFilter()).isInstanceOf(JwtSessionFilter.class);
          assertThat(filter.getUrlPatterns()).containsExactly("/*");
          assertThat(filter.getOrder()).isEqualTo(-101);
          assertThat(filter.determineDispatcherTypes())
              .containsExactlyInAnyOrder(
                  DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

          JwtSession engine = context.getBean(JwtSession.class);
          assertThat(engine.accessSettings().cookieName()).isEqualTo("jwt_session_access");
          assertThat(engine.accessSettings().maxAge()).isEqualTo(Duration.ofMinutes(1));
          assertThat(engine.refreshSettings().cookieName()).isEqualTo("jwt_session_refresh");
          assertThat(engine.refreshSettings().maxAge()).isEqualTo(Duration.ofDays(7));
          assertThat(engine.accessSettings().cookie().secure()).isTrue();
          assertThat(engine.accessSettings().cookie().sameSite()).isEqualTo(SameSite.LAX);
          assertThat(engine.rotation()).isEmpty();
          assertThat(engine.csrf().enabled()).isTrue();
          assertThat(engine.toString()).contains("reauth=on");
        });
  }

  @Test
  void aNonWebContextGetsTheEngineButNoServletBeans() {
    plain.run(
        context -> {
          assertThat(context).hasSingleBean(JwtSession.class);
          assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
          assertThat(context).doesNotHaveBean(SessionArgumentResolver.class);
        });
  }

  @Test
  void nothingIsConfiguredWhenJwtSessionIsNotOnTheClasspath() {
    web.withClassLoader(new FilteredClassLoader(JwtSession.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(JwtSessionProperties.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
              assertThat(context).doesNotHaveBean(SessionArgumentResolver.class);
            });
  }

  @Test
  void theServletPartStepsAsideWhenTheServletAdapterIsNotOnTheClasspath() {
    web.withClassLoader(new FilteredClassLoader(JwtSessionFilter.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(JwtSession.class);
              assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            });
  }

  @Test
  void aJwtSessionBeanOfTheApplicationReplacesTheAutoConfiguredOneAndGetsTheFilter() {
    web.withUserConfiguration(OwnEngine.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(JwtSession.class);
              assertThat(context.getBean(JwtSession.class).accessSettings().cookieName())
                  .isEqualTo("own_access");
              assertThat(context).hasBean("jwtSessionFilterRegistration");
            });
  }

  @Test
  void aFilterRegistrationOfTheApplicationReplacesTheAutoConfiguredOne() {
    web.withUserConfiguration(OwnFilter.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean("jwtSessionFilterRegistration");
              assertThat(context).hasBean("ownFilter");
            });
  }

  @Test
  void aReauthBeanReplacesTheDefaultReauth() {
    web.withUserConfiguration(RefusingReauth.class)
        .run(
            context -> {
              JwtSession engine = context.getBean(JwtSession.class);
              Map<String, String> jar = login(engine);
              jar.remove("jwt_session_access");

              RecordingCookieSink sink = new RecordingCookieSink();
              Session session = engine.resolve(RecordingCookieSink.cookieHeader(jar), sink);

              assertThat(session.isAuthenticated()).isFalse();
              assertThat(sink.clears("jwt_session_refresh")).isTrue();
            });
  }

  @Test
  void withoutAReauthBeanTheRefreshClaimsAreIssuedAgain() {
    web.run(
        context -> {
          JwtSession engine = context.getBean(JwtSession.class);
          Map<String, String> jar = login(engine);
          jar.remove("jwt_session_access");

          Session session =
              engine.resolve(RecordingCookieSink.cookieHeader(jar), new RecordingCookieSink());

          assertThat(session.isAuthenticated()).isTrue();
          assertThat(session.reauthenticated()).isTrue();
          assertThat(session.subject()).contains("alice");
        });
  }

  @Test
  void reauthEnabledFalseTurnsReauthOff() {
    web.withPropertyValues("jwt-session.reauth.enabled=false")
        .run(
            context ->
                assertThat(context.getBean(JwtSession.class).toString()).contains("reauth=off"));
  }

  @Test
  void aRefreshTokenStoreBeanIsTheRotationStore() {
    web.withUserConfiguration(OwnStore.class)
        .withPropertyValues("jwt-session.rotation.enabled=true")
        .run(
            context ->
                assertThat(context.getBean(JwtSession.class).rotation().orElseThrow().store())
                    .isSameAs(context.getBean(RefreshTokenStore.class)));
  }

  @Test
  void listenerBeansJoinTheDefaultListenerInTheirOrder() {
    web.withUserConfiguration(TwoListeners.class)
        .run(
            context -> {
              JwtSession engine = context.getBean(JwtSession.class);
              engine.resolve("jwt_session_access=junk", new RecordingCookieSink());

              assertThat(TwoListeners.heard).containsExactly("first:MALFORMED", "second:MALFORMED");
            });
  }

  @Test
  void customizersRunLastAndInTheirOrder() {
    web.withUserConfiguration(TwoCustomizers.class)
        .run(
            context -> {
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(TwoCustomizers.order).containsExactly("first", "second");
              assertThat(engine.accessSettings().cookie().path()).isEqualTo("/app");
              Session session = engine.resolve(null, new RecordingCookieSink());
              session.login(Payloads.accessOnly(Map.of("sub", "alice")));
              assertThat(session.claims().issuer()).contains("https://customized.example");
            });
  }

  @Test
  void theRedisStoreExistsOnlyWithRotationStoreRedis() {
    web.withPropertyValues("jwt-session.rotation.enabled=true")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RedisRefreshTokenStore.class);
              assertThat(context.getBean(JwtSession.class).rotation().orElseThrow().store())
                  .isInstanceOf(InMemoryRefreshTokenStore.class);
            });
    web.withPropertyValues(
            "jwt-session.rotation.enabled=true",
            "jwt-session.rotation.store=redis",
            "jwt-session.redis.url=redis://127.0.0.1:1",
            "jwt-session.redis.command-timeout=250ms")
        .run(
            context -> {
              RedisRefreshTokenStore store = context.getBean(RedisRefreshTokenStore.class);
              assertThat(store.toString())
                  .contains("target=127.0.0.1:1")
                  .contains("commandTimeout=PT0.25S");
              assertThat(context.getBean(JwtSession.class).rotation().orElseThrow().store())
                  .isSameAs(store);
            });
  }

  @Test
  void theRedisStoreFallsBackToSpringDataRedisProperties() {
    JwtSessionProperties properties = new JwtSessionProperties();
    List<String> problems = new ArrayList<>();

    RedisURI fromUrl =
        RedisStoreFactory.uri(
            properties,
            environment(Map.of("spring.data.redis.url", "redis://127.0.0.1:2/1")),
            problems);
    RedisURI fromHost =
        RedisStoreFactory.uri(
            properties,
            environment(
                Map.of(
                    "spring.data.redis.host", "redis.internal",
                    "spring.data.redis.port", "6380",
                    "spring.data.redis.username", "app",
                    "spring.data.redis.password", "test-password",
                    "spring.data.redis.database", "2",
                    "spring.data.redis.ssl.enabled", "true")),
            problems);
    properties.getRedis().setUrl("redis://127.0.0.1:4");
    RedisURI own =
        RedisStoreFactory.uri(
            properties,
            environment(Map.of("spring.data.redis.url", "redis://127.0.0.1:2")),
            problems);

    assertThat(problems).isEmpty();
    assertThat(fromUrl.getPort()).isEqualTo(2);
    assertThat(fromUrl.getDatabase()).isEqualTo(1);
    assertThat(fromHost.getHost()).isEqualTo("redis.internal");
    assertThat(fromHost.getPort()).isEqualTo(6380);
    assertThat(fromHost.getCredentialsProvider().resolveCredentials().block().getUsername())
        .isEqualTo("app");
    assertThat(
            new String(
                fromHost.getCredentialsProvider().resolveCredentials().block().getPassword()))
        .isEqualTo("test-password");
    assertThat(fromHost.getDatabase()).isEqualTo(2);
    assertThat(fromHost.isSsl()).isTrue();
    assertThat(own.getPort()).isEqualTo(4);
  }

  private static StandardEnvironment environment(Map<String, Object> values) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", values));
    return environment;
  }

  @Test
  void everyPropertyReachesTheBuilderSettingItNames() {
    String jwkSet =
        "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"alg\":\"HS256\",\"k\":\""
            + "dGVzdC1hY2Nlc3Mta2V5LTEtdGhhdC1pcy0zMi1ieXRlcy1sb25n\"},"
            + "{\"kty\":\"oct\",\"kid\":\"k0\",\"alg\":\"HS256\",\"k\":\""
            + "dGVzdC1hY2Nlc3Mta2V5LTAtdGhhdC1pcy0zMi1ieXRlcy1sb25n\"}]}";
    new WebApplicationContextRunner()
        .withConfiguration(AUTO_CONFIGURATIONS)
        .withPropertyValues(
            "jwt-session.access.cookie-name=__Host-a",
            "jwt-session.access.max-age=2m",
            "jwt-session.access.jwk-set=" + jwkSet,
            "jwt-session.access.signing-key-id=k1",
            "jwt-session.access.same-site=strict",
            "jwt-session.access.partitioned=true",
            "jwt-session.refresh.cookie-name=r",
            "jwt-session.refresh.max-age=3d",
            "jwt-session.refresh.secret=" + TestSecrets.REFRESH,
            "jwt-session.refresh.path=/auth",
            "jwt-session.refresh.domain=example.test",
            "jwt-session.refresh.secure=false",
            "jwt-session.refresh.http-only=false",
            "jwt-session.refresh.same-site=lax",
            "jwt-session.rotation.enabled=true",
            "jwt-session.rotation.store=memory",
            "jwt-session.rotation.reuse-grace=2s",
            "jwt-session.rotation.absolute-lifetime=30d",
            "jwt-session.rotation.check-access-revocation=true",
            "jwt-session.csrf.enabled=false",
            "jwt-session.csrf.trusted-origins=https://a.example,https://b.example",
            "jwt-session.issuer=https://issuer.example",
            "jwt-session.audience=app",
            "jwt-session.access-cache-size=16",
            "jwt-session.max-cookie-header-length=1024",
            "jwt-session.filter.order=5",
            "jwt-session.filter.url-patterns=/app/*,/api/*")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              var access = engine.accessSettings();
              assertThat(access.cookieName()).isEqualTo("__Host-a");
              assertThat(access.maxAge()).isEqualTo(Duration.ofMinutes(2));
              assertThat(access.keys().signingKey().getKeyID()).isEqualTo("k1");
              assertThat(access.keys().verificationKeys()).hasSize(1);
              assertThat(access.cookie().sameSite()).isEqualTo(SameSite.STRICT);
              assertThat(access.cookie().partitioned()).isTrue();
              var refresh = engine.refreshSettings();
              assertThat(refresh.cookieName()).isEqualTo("r");
              assertThat(refresh.maxAge()).isEqualTo(Duration.ofDays(3));
              assertThat(refresh.cookie().path()).isEqualTo("/auth");
              assertThat(refresh.cookie().domain()).isEqualTo("example.test");
              assertThat(refresh.cookie().secure()).isFalse();
              assertThat(refresh.cookie().httpOnly()).isFalse();
              assertThat(refresh.cookie().sameSite()).isEqualTo(SameSite.LAX);
              var rotation = engine.rotation().orElseThrow();
              assertThat(rotation.store()).isInstanceOf(InMemoryRefreshTokenStore.class);
              assertThat(rotation.reuseGrace()).isEqualTo(Duration.ofSeconds(2));
              assertThat(rotation.toString()).contains("absoluteLifetime=PT720H");
              assertThat(rotation.checkAccessRevocation()).isTrue();
              assertThat(engine.csrf().enabled()).isFalse();
              assertThat(engine.csrf().trustedOrigins())
                  .containsExactly("https://a.example", "https://b.example");
              FilterRegistrationBean<?> filter =
                  context.getBean("jwtSessionFilterRegistration", FilterRegistrationBean.class);
              assertThat(filter.getOrder()).isEqualTo(5);
              assertThat(filter.getUrlPatterns()).containsExactly("/app/*", "/api/*");

              // issuer and audience go into every token
              RecordingCookieSink sink = new RecordingCookieSink();
              Session session = engine.resolve(null, sink);
              session.login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
              assertThat(session.claims().issuer()).contains("https://issuer.example");
              assertThat(String.valueOf(session.claims().get("aud"))).contains("app");
              // max-cookie-header-length: a longer header is not read
              String valid = "__Host-a=" + sink.value("__Host-a").orElseThrow();
              assertThat(engine.resolve(valid, new RecordingCookieSink()).isAuthenticated())
                  .isTrue();
              String padded = valid + "; pad=" + "x".repeat(1024);
              assertThat(engine.resolve(padded, new RecordingCookieSink()).isAuthenticated())
                  .isFalse();
            });
  }

  @Test
  void thePropertiesNeverPrintASecretAKeySetOrTheRedisUrl() {
    new ApplicationContextRunner()
        .withUserConfiguration(PropertiesOnly.class)
        .withPropertyValues(TestSecrets.PROPERTIES)
        .withPropertyValues(
            "jwt-session.refresh.jwk-set={\"keys\":[]}",
            "jwt-session.redis.url=redis://:test-redis-password@127.0.0.1:1")
        .run(
            context -> {
              String text = context.getBean(JwtSessionProperties.class).toString();
              assertThat(text)
                  .contains("secret=(set)", "jwkSet=(set)", "redis.url=(set)")
                  .doesNotContain(TestSecrets.ACCESS)
                  .doesNotContain(TestSecrets.REFRESH)
                  .doesNotContain("keys")
                  .doesNotContain("test-redis-password");
            });
  }

  @Test
  void leewayReachesTheBuilder() {
    MutableClock clock = MutableClock.atFixedStart();
    JwtSessionBuilderCustomizer fixedClock = b -> b.clock(clock);
    web.withBean(JwtSessionBuilderCustomizer.class, () -> fixedClock)
        .withPropertyValues("jwt-session.leeway=30s", "jwt-session.reauth.enabled=false")
        .run(
            context -> {
              JwtSession engine = context.getBean(JwtSession.class);
              Map<String, String> jar = login(engine);
              clock.advance(Duration.ofMinutes(1).plusSeconds(20));

              assertThat(
                      engine
                          .resolve(RecordingCookieSink.cookieHeader(jar), new RecordingCookieSink())
                          .isAuthenticated())
                  .as("20 s after expiry, within a 30 s leeway")
                  .isTrue();
            });
  }

  static Map<String, String> login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
    return sink.applyTo(new java.util.LinkedHashMap<>());
  }

  @Configuration(proxyBeanMethods = false)
  @org.springframework.boot.context.properties.EnableConfigurationProperties(
      JwtSessionProperties.class)
  static class PropertiesOnly {}

  @Configuration(proxyBeanMethods = false)
  static class OwnEngine {
    @Bean
    JwtSession ownEngine() {
      return JwtSession.builder()
          .access(
              t ->
                  t.cookieName("own_access")
                      .maxAge(Duration.ofMinutes(1))
                      .secret(TestSecrets.ACCESS))
          .refresh(
              t ->
                  t.cookieName("own_refresh")
                      .maxAge(Duration.ofDays(1))
                      .secret(TestSecrets.REFRESH))
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    @Bean
    FilterRegistrationBean<JwtSessionFilter> ownFilter(JwtSession engine) {
      return new FilterRegistrationBean<>(new JwtSessionFilter(engine));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RefusingReauth {
    @Bean
    Reauth refusingReauth() {
      return refresh -> Optional.empty();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    @Bean
    RefreshTokenStore ownStore() {
      return InMemoryRefreshTokenStore.create();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoListeners {
    static final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Bean
    @Order(2)
    SessionListener second() {
      return new SessionListener() {
        @Override
        public void rejected(TokenType type, RejectionReason reason) {
          heard.add("second:" + reason);
        }
      };
    }

    @Bean
    @Order(1)
    SessionListener first() {
      return new SessionListener() {
        @Override
        public void rejected(TokenType type, RejectionReason reason) {
          heard.add("first:" + reason);
          throw new IllegalStateException("a broken listener must not silence the next one");
        }
      };
    }

    @Bean
    CapturingListener unordered() {
      return new CapturingListener();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoCustomizers {
    static final List<String> order = new ArrayList<>();

    @Bean
    @Order(2)
    JwtSessionBuilderCustomizer second() {
      return b -> {
        order.add("second");
        b.issuer("https://customized.example");
      };
    }

    @Bean
    @Order(1)
    JwtSessionBuilderCustomizer first() {
      return b -> {
        order.add("first");
        b.access(t -> t.path("/app"));
      };
    }
  }
}
