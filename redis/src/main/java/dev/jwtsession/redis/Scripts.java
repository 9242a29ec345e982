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
   * KEYS: subject index (a sorted set of family ids scored by absolute expiry). ARGV: family id,
   * its absolute expiry, physical margin, per-subject cap (ms, ms, ms, count). Prunes members whose
   * absolute expiry plus the margin has passed on the server's clock (physical expiry, like a TTL),
   * adds the family, and when the subject holds more than the cap removes its oldest other members
   * (the soonest absolute expiry is the oldest login) and replies their ids, for the caller to
   * revoke. The index expires with its last family plus the margin, never later.
   */
  static final Script SUBJECT_ADD =
      new Script(
          """
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local margin = tonumber(ARGV[3])
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - margin))
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
          local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
          local evicted = {}
          if over > 0 then
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, over)) do
              if #evicted < over and id ~= ARGV[1] then evicted[#evicted + 1] = id end
            end
            redis.call('ZREM', KEYS[1], unpack(evicted))
          end
          local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
          redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]) + margin)
          return evicted
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
