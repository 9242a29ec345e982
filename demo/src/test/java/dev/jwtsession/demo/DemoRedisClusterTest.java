package dev.jwtsession.demo;

import dev.jwtsession.redis.RedisClusterProcess;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo with {@code JWT_SESSION_REDIS_CLUSTER_NODES}: two demo nodes on a real Redis Cluster of
 * three masters and three replicas share logins and log out everywhere.
 */
class DemoRedisClusterTest {

  private static RedisClusterProcess cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Map<String, String> env() {
    String seeds =
        cluster.seeds().stream()
            .map(uri -> uri.substring("redis://".length()))
            .collect(Collectors.joining(","));
    return DemoAppTest.env(
        "JWT_SESSION_REDIS_CLUSTER_NODES", seeds,
        "JWT_SESSION_ACCESS_SECRET", "demo-redis-test-access-secret-32-bytes!!",
        "JWT_SESSION_REFRESH_SECRET", "demo-redis-test-refresh-secret-32-bytes!");
  }

  @Test
  void twoDemoNodesOnARedisClusterShareLoginsAndLogOutEverywhere() {
    DemoRedisTest.assertTwoNodesShareLoginsAndLogOutEverywhere(env(), "the cluster");
  }
}
