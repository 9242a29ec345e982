package dev.jwtsession.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedisRefreshTokenStore}, each run atomically by Redis.
 *
 * <p>Every script touches only the keys of one family ({@code <prefix>family:{id}}, and {@code
 * <prefix>family:{id}:successor}, which only version 1 wrote and which is deleted with the family)
 * or only one subject index, so each runs on one Redis Cluster slot. Times are epoch milliseconds
 * decided by the caller's {@code now}; the family hash holds {@code cur} (newest jti), {@code rot}
 * (when it was issued), {@code prev} (the jti it replaced), {@code prot} (when {@code prev} was
 * issued), {@code pprev} (the jti {@code prev} replaced), {@code exp} (idle expiry) and {@code abs}
 * (absolute expiry). No token is ever stored.
 */
final class Scripts {

  /** Answer codes of {@link #ROTATE}; the first element of its reply. */
  static final long REVOKED = 0;

  static final long ROTATED = 1;
  static final long ALREADY_ROTATED = 2;
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
   * KEYS: family, v1 successor (deleted with the family). ARGV: presented jti, successor jti, now,
   * grace, new expiresAt, physical margin (ms). Replies {code} or {code, successor jti, its issue
   * instant}. Decides with the engine's {@code now} only; the physical expiry is set relative
   * ({@code PEXPIRE} of expiresAt - now + margin), so Redis's clock is never compared with an
   * engine instant.
   */
  static final Script ROTATE =
      new Script(
          """
          local f = redis.call('HMGET', KEYS[1], 'cur', 'rot', 'prev', 'prot', 'pprev', 'exp', 'abs')
          if not f[1] then return {0} end
          local now = tonumber(ARGV[3])
          local exp = tonumber(f[6])
          local abs = tonumber(f[7])
          if now >= exp or now >= abs then
            redis.call('DEL', KEYS[1], KEYS[2])
            return {0}
          end
          local want = tonumber(ARGV[5])
          if want > exp then exp = want end
          if exp > abs then exp = abs end
          local p = ARGV[1]
          if p == f[1] then
            if f[3] then
              redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'rot', ARGV[3], 'prev', p, 'exp', exp,
                'prot', f[2], 'pprev', f[3])
            else
              redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'rot', ARGV[3], 'prev', p, 'exp', exp)
            end
            redis.call('PEXPIRE', KEYS[1], exp - now + tonumber(ARGV[6]))
            return {1}
          end
          local succ, at
          if f[3] and p == f[3] then
            succ = f[1]
            at = f[2]
          elseif f[5] and p == f[5] and now < tonumber(f[4]) + tonumber(ARGV[4]) then
            succ = f[3]
            at = f[4]
          else
            redis.call('DEL', KEYS[1], KEYS[2])
            return {3}
          end
          if exp > tonumber(f[6]) then
            redis.call('HSET', KEYS[1], 'exp', exp)
            redis.call('PEXPIRE', KEYS[1], exp - now + tonumber(ARGV[6]))
          end
          return {2, succ, at}
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
