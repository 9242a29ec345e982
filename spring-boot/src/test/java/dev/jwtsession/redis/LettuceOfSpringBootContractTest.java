package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spi.FamilyRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Redis store's whole contract (every test of {@link RedisRefreshTokenStoreContractTest})
 * against a real {@code redis-server}, run on the Lettuce version Spring Boot manages: 6.8.2 for
 * Boot 4.0.7 here, 6.6.0 for Boot 3.5.7 in {@code spring-boot-tests-boot3}. The build passes the
 * expected version as the system property {@code expected.lettuce.version}.
 */
class LettuceOfSpringBootContractTest extends RedisRefreshTokenStoreContractTest {

  // The two key-layout tests again, compiled against this Lettuce: the inherited ones call
  // RedisCommands.keys(String), an overload Lettuce 7 added (6.x has only keys(K)). The store
  // itself needs no Lettuce 7 API.

  @Override
  @Test
  void aFamilyLivesInOneHashTaggedKeyThatRedisDeletesAtItsExpiryPlusTheMargin() {
    String family = registerFamily("alice", "jti-1");

    String key = "jwt-session:family:{" + family + "}";
    assertThat(keys()).containsExactlyInAnyOrder(key, "jwt-session:subject:{alice}");
  }

  @Override
  @Test
  void aCustomKeyPrefixIsUsedForEveryKey() {
    try (RedisRefreshTokenStore prefixed =
        RedisRefreshTokenStore.builder().uri(server.uri()).keyPrefix("app2:").build()) {
      prefixed.register(new FamilyRecord("f1", "bob", "j1", t0.plus(LIFETIME), t0.plus(ABSOLUTE)));

      assertThat(keys()).containsExactlyInAnyOrder("app2:family:{f1}", "app2:subject:{bob}");
      assertThat(store.isActive("f1", t0)).isFalse();
      assertThat(prefixed.isActive("f1", t0)).isTrue();
    }
  }

  private static List<String> keys() {
    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys("*");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @Test
  void theContractRunsOnTheLettuceVersionSpringBootManages() throws IOException {
    Properties pom = new Properties();
    try (InputStream in =
        RedisClient.class.getResourceAsStream(
            "/META-INF/maven/io.lettuce/lettuce-core/pom.properties")) {
      assertThat(in).as("lettuce-core's pom.properties").isNotNull();
      pom.load(in);
    }
    assertThat(pom.getProperty("version"))
        .isEqualTo(System.getProperty("expected.lettuce.version"))
        .doesNotStartWith("7.");
  }
}
