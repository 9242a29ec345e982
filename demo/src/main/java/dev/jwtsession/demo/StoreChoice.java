package dev.jwtsession.demo;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStore;

/**
 * The one place the demo picks its refresh-token store: Redis when {@value DemoConfig#REDIS_URL} is
 * set (sessions shared by every demo node pointing at it, surviving restarts), else in memory (one
 * JVM, lost on restart).
 */
final class StoreChoice {

  private StoreChoice() {}

  static RefreshTokenStore forConfig(DemoConfig config) {
    String redisUrl = config.redisUrlOrNull();
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
