package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.JwtSession;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import dev.jwtsession.redis.RedisServerProcess;
import dev.jwtsession.spi.StoreUnavailableException;
import dev.jwtsession.testkit.Browser;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The starter with {@code jwt-session.rotation.store=redis} against a real {@code redis-server}:
 * login, reauth with rotation, a replay after the grace window refused; the store is closed with
 * the context.
 */
class RedisStarterTest {

  static RedisServerProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void loginReauthAndAReplayAfterTheGraceWindowIsRefusedWithTheRedisStore() throws Exception {
    RedisRefreshTokenStore store;
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .properties(
                "jwt-session.access.secret=" + TestSecrets.ACCESS,
                "jwt-session.refresh.secret=" + TestSecrets.REFRESH,
                "jwt-session.rotation.enabled=true",
                "jwt-session.rotation.store=redis",
                "jwt-session.redis.url=" + redis.uri(),
                "server.address=127.0.0.1",
                "server.port=0",
                "spring.main.banner-mode=off")
            .run()) {
      store = context.getBean(RedisRefreshTokenStore.class);
      assertThat(context.getBean(JwtSession.class).rotation().orElseThrow().store())
          .isSameAs(store);
      MutableClock clock = context.getBean(MutableClock.class);
      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      Browser browser = new Browser("http://127.0.0.1:" + port);

      assertThat(browser.post("/login?sub=alice").statusCode()).isEqualTo(204);
      assertThat(familyKeys()).isOne();
      String firstRefresh = browser.cookies().get(SpringBootHttpTest.REFRESH);

      clock.advance(Duration.ofMinutes(2));
      HttpResponse<String> renewed = browser.get("/me");
      assertThat(renewed.body()).isEqualTo("sub=alice;reauth=true");
      assertThat(browser.cookies().get(SpringBootHttpTest.REFRESH)).isNotEqualTo(firstRefresh);
      // Protocol v2: a replay is theft once the successor has been used, so the owner renews again.
      clock.advance(Duration.ofMinutes(2));
      assertThat(browser.get("/me").body()).isEqualTo("sub=alice;reauth=true");

      clock.advance(Duration.ofSeconds(30)); // past the 5 s grace window
      Browser thief = new Browser("http://127.0.0.1:" + port);
      thief.cookies().put(SpringBootHttpTest.REFRESH, firstRefresh);
      assertThat(thief.get("/me").statusCode()).isEqualTo(401);

      clock.advance(Duration.ofMinutes(2)); // the family is revoked: the owner cannot renew either
      assertThat(browser.get("/me").statusCode()).isEqualTo(401);
    }
    Instant now = Instant.now();
    assertThatThrownBy(() -> store.isActive("any", now))
        .as("the store was closed with the context")
        .isInstanceOf(StoreUnavailableException.class);
  }

  private static long familyKeys() {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys("jwt-session:family:*").size();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(SpringBootHttpTest.Routes.class)
  static class App {

    @Bean
    MutableClock clock() {
      return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Bean
    JwtSessionBuilderCustomizer testClock(MutableClock clock) {
      return builder -> builder.clock(clock);
    }
  }
}
