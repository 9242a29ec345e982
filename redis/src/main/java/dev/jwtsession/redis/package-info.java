/**
 * A {@link dev.jwtsession.spi.RefreshTokenStore} on Redis, for refresh-token rotation shared by
 * many application nodes: start with {@link dev.jwtsession.redis.RedisRefreshTokenStore#builder()}.
 */
package dev.jwtsession.redis;
