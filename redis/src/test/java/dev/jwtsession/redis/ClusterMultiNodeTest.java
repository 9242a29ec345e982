package dev.jwtsession.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every {@link MultiNodeTest} again, with the two application nodes on a real Redis Cluster of
 * three masters and three replicas (each node's store built from the seed nodes with {@code
 * cluster(...)}): 50 concurrent reauths split across nodes give one successor pair, a replay on the
 * other node revokes the family, log out everywhere works across nodes and slots.
 */
class ClusterMultiNodeTest extends MultiNodeTest {

  private static RedisClusterProcess cluster;
  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> admin;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
    client = cluster.client();
    admin = cluster.admin();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close(); // with its client and connection
    }
  }

  @Override
  void backendUp() {
    cluster.flushAll();
  }

  @Override
  void backendDown() {
    // the cluster serves the whole class; the next test starts from an empty one
  }

  @Override
  void target(RedisRefreshTokenStore.Builder store) {
    store.cluster(cluster.seeds());
  }

  @Override
  List<String> keys(String pattern) {
    return admin.sync().keys(pattern); // every master's keys
  }

  @Override
  Map<String, String> hash(String key) {
    return admin.sync().hgetall(key);
  }
}
