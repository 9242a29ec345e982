package dev.jwtsession.demo;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStore;

/**
 * The one place the demo picks its refresh-token store: a Redis Cluster when {@value
 * DemoConfig#REDIS_CLUSTER_NODES} is set, Redis (one server, or a Sentinel-managed master with a
 * {@code redis-sentinel://} URL) when {@value DemoConfig#REDIS_URL} is set (sessions shared by
 * every demo node pointing at it, surviving restarts), else in memory (one JVM, lost on restart).
 */
final class StoreChoice {

  private StoreChoice() {}

  static RefreshTokenStore forConfig(DemoConfig config) {
    String redisUrl = config.redisUrlOrNull();
    if (!config.clusterNodes().isEmpty()) {
      try {
        return RedisRefreshTokenStore.builder().cluster(config.clusterNodes()).build();
      } catch (JwtSessionConfigException e) {
        throw new IllegalArgumentException(
            DemoConfig.REDIS_CLUSTER_NODES + ": " + e.getMessage(), e);
      }
    }
    if (redisUrl == null) {
      return InMemoryRefreshTokenStore.create();
    }
    try {
      return RedisRefreshTokenStore.builder().uri(redisUrl).build();
    } catch (JwtSessionConfigException e) {
      throw new IllegalArgumentException(DemoConfig.REDIS_URL + ": " + e.getMessage(), e);
    }
  }
}
