package dev.jwtsession.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedisRefreshTokenStore}, each run atomically by Redis.
 *
 * <p>Every script touches exactly one key, a family hash ({@code <prefix>family:{id}}) or a subject
 * index, so each runs on one Redis Cluster slot, and a slot being migrated never answers it {@code
 * TRYAGAIN} (which Redis answers only to commands on several keys of a slot, some already moved).
 * Version 1 also wrote {@code <prefix>family:{id}:successor}, always with a time-to-live of the
 * grace window; version 2 never names it, so a key left over from an upgrade expires by itself.
 * Times are epoch milliseconds decided by the caller's {@code now}; the family hash holds {@code
 * cur} (newest jti), {@code rot} (when it was issued), {@code prev} (the jti it replaced), {@code
 * prot} (when {@code prev} was issued), {@code pprev} (the jti {@code prev} replaced), {@code exp}
 * (idle expiry) and {@code abs} (absolute expiry). No token is ever stored.
 */
final class Scripts {

  /** Answer codes of {@link #ROTATE}; the first element of its reply. */
  static final long REVOKED = 0;

  static final long ROTATED = 1;
  static final long ALREADY_ROTATED = 2;
  static final long REUSE_DETECTED = 3;

  /**
   * KEYS: family. ARGV: jti, expiresAt, absoluteExpiry, physical expiry (all ms). Replaces any
   * earlier family of that id.
   */
  static final Script REGISTER =
      new Script(
          """
          redis.call('DEL', KEYS[1])
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
   * KEYS: family. ARGV: presented jti, successor jti, now, grace, new expiresAt, physical margin
   * (ms). Replies {code} or {code, successor jti, its issue instant}. Decides with the engine's
   * {@code now} only; the physical expiry is set relative ({@code PEXPIRE} of expiresAt - now +
   * margin), so Redis's clock is never compared with an engine instant.
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
            redis.call('DEL', KEYS[1])
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
            redis.call('DEL', KEYS[1])
            return {3}
          end
          if exp > tonumber(f[6]) then
            redis.call('HSET', KEYS[1], 'exp', exp)
            redis.call('PEXPIRE', KEYS[1], exp - now + tonumber(ARGV[6]))
          end
          return {2, succ, at}
          """);

  /** KEYS: family. ARGV: now (ms). Deletes the family; replies {1} if it was live, else {0}. */
  static final Script REVOKE_IF_LIVE =
      new Script(
          """
          local f = redis.call('HMGET', KEYS[1], 'exp', 'abs')
          if not f[1] then return {0} end
          redis.call('DEL', KEYS[1])
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
