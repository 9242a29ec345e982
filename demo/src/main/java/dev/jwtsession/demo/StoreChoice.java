package dev.jwtsession.demo;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStore;

/**
 * The one place the demo picks its refresh-token store: in memory (one JVM, lost on restart), or
 * Redis when {@value DemoConfig#REDIS_URL} is set.
 *
 * <p>The Redis store ({@code jwt-session-redis}) is not wired in yet; until it is, a set
 * {@value DemoConfig#REDIS_URL} fails the start rather than being silently ignored, because a user who
 * sets it expects sessions to be shared between nodes.
 */
final class StoreChoice {

  private StoreChoice() {}

  static RefreshTokenStore forConfig(DemoConfig config) {
    if (config.redisUrlOrNull() != null) {
      throw new IllegalArgumentException(DemoConfig.REDIS_URL + ": the Redis store is not wired "
          + "into the demo yet; unset it to use the in-memory store");
    }
    return InMemoryRefreshTokenStore.create();
  }
}
