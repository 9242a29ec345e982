package dev.jwtsession.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedisRefreshTokenStore}, each run atomically by Redis.
 *
 * <p>Every script touches only the keys of one family ({@code <prefix>family:{id}} and {@code
 * <prefix>family:{id}:successor}) or only one subject index, so each runs on one Redis Cluster
 * slot. Times are epoch milliseconds decided by the caller's {@code now}; the family hash holds
 * {@code cur} (current jti), {@code prev} (predecessor jti), {@code rot} (when it was rotated),
 * {@code exp} (idle expiry) and {@code abs} (absolute expiry).
 */
final class Scripts {

  /** Answer codes of {@link #ROTATE}; the first element of its reply. */
  static final long REVOKED = 0;

  static final long ROTATED = 1;
  static final long REUSED_WITHIN_GRACE = 2;
  static final long REUSE_DETECTED = 3;

  /**
   * KEYS: family, successor. ARGV: jti, expiresAt, absoluteExpiry, physical expiry (all ms).
   * Replaces any earlier family of that id.
   */
  static final Script REGISTER =
      new Script(
          """
          redis.call('DEL', KEYS[1], KEYS[2])
          redis.call('HSET', KEYS[1], 'cur', ARGV[1], 'exp', ARGV[2], 'abs', ARGV[3])
          redis.call('PEXPIREAT', KEYS[1], ARGV[4])
          return 1
          """);

  /**
   * KEYS: subject index. ARGV: family id, physical expiry (ms). Adds the id and moves the set's
   * expiry later if this family outlives the ones already indexed, never earlier. Uses PTTL and
   * TIME rather than PEXPIRETIME so it runs on Redis 6.
   */
  static final Script INDEX =
      new Script(
          """
          redis.call('SADD', KEYS[1], ARGV[1])
          local want = tonumber(ARGV[2])
          local ttl = redis.call('PTTL', KEYS[1])
          if ttl >= 0 then
            local t = redis.call('TIME')
            local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl
            if at >= want then return 1 end
          end
          redis.call('PEXPIREAT', KEYS[1], ARGV[2])
          return 1
          """);

  /**
   * KEYS: family, successor. ARGV: presented jti, successor jti, successor, now, grace, new
   * expiresAt, physical margin, successor time-to-live (ms). Replies {code} or {code, successor}.
   */
  static final Script ROTATE =
      new Script(
          """
          local f = redis.call('HMGET', KEYS[1], 'cur', 'prev', 'rot', 'exp', 'abs')
          if not f[1] then return {0} end
          local now = tonumber(ARGV[4])
          local abs = tonumber(f[5])
          if now >= tonumber(f[4]) or now >= abs then
            redis.call('DEL', KEYS[1], KEYS[2])
            return {0}
          end
          if ARGV[1] == f[1] then
            local exp = ARGV[6]
            if tonumber(exp) > abs then exp = f[5] end
            redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'prev', ARGV[1], 'rot', ARGV[4], 'exp', exp)
            redis.call('PEXPIREAT', KEYS[1], tonumber(exp) + tonumber(ARGV[7]))
            redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[8])
            return {1}
          end
          if ARGV[1] == f[2] and now < tonumber(f[3]) + tonumber(ARGV[5]) then
            local s = redis.call('GET', KEYS[2])
            if s then return {2, s} end
            return {0}
          end
          redis.call('DEL', KEYS[1], KEYS[2])
          return {3}
          """);

  /**
   * KEYS: family, successor. ARGV: now (ms). Deletes the family; replies {1} if it was live, else
   * {0}.
   */
  static final Script REVOKE_IF_LIVE =
      new Script(
          """
          local f = redis.call('HMGET', KEYS[1], 'exp', 'abs')
          if not f[1] then return {0} end
          redis.call('DEL', KEYS[1], KEYS[2])
          local now = tonumber(ARGV[1])
          if now < tonumber(f[1]) and now < tonumber(f[2]) then return {1} end
          return {0}
          """);

  private Scripts() {}

  /** A script's source and the SHA-1 digest Redis knows it by. */
  record Script(String source, String sha) {

    Script(String source) {
      this(source, sha1(source));
    }

    private static String sha1(String source) {
      try {
        return HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform supports SHA-1", e);
      }
    }
  }
}
