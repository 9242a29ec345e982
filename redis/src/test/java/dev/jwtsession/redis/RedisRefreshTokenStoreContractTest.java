package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.SessionListener;
import dev.jwtsession.spi.FamilyRecord;
import dev.jwtsession.spi.RefreshTokenStore;
import dev.jwtsession.spi.RefreshTokenStoreContract;
import dev.jwtsession.spi.RotationResult.Outcome;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against a real {@code redis-server}, plus the Redis key layout. */
class RedisRefreshTokenStoreContractTest extends RefreshTokenStoreContract {

  // Package-private: spring-boot's LettuceOfSpringBootContractTest reaches it on Lettuce 6.
  static RedisServerProcess server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void startRedis() {
    server = RedisServerProcess.start();
    client = RedisClient.create(server.uri());
    admin = client.connect();
  }

  @AfterAll
  static void stopRedis() {
    if (admin != null) {
      admin.close();
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected RefreshTokenStore newStore() {
    redis().flushall();
    return RedisRefreshTokenStore.builder().client(client).build();
  }

  @Override
  protected void closeStore(RefreshTokenStore store) {
    ((RedisRefreshTokenStore) store).close();
  }

  private static RedisCommands<String, String> redis() {
    return admin.sync();
  }

  /**
   * KEYS through a script: Lettuce 7 added a {@code keys(String)} overload that Lettuce 6 lacks,
   * and these tests also run on 6.x.
   */
  private static List<String> keys(String pattern) {
    List<String> found =
        redis()
            .eval(
                "return redis.call('KEYS', ARGV[1])",
                ScriptOutputType.MULTI,
                new String[0],
                pattern);
    return found;
  }

  @Test
  void aFamilyLivesInOneHashTaggedKeyThatRedisDeletesAtItsExpiryPlusTheMargin() {
    String family = registerFamily("alice", "jti-1");

    String key = "jwt-session:family:{" + family + "}";
    assertThat(keys("*")).containsExactlyInAnyOrder(key, "jwt-session:subject:{alice}");
    assertThat(redis().hgetall(key)).containsOnlyKeys("cur", "exp", "abs");
    assertThat(redis().pexpiretime(key))
        .isEqualTo(t0.plus(LIFETIME).plusSeconds(60).toEpochMilli());
    assertThat(redis().pexpiretime("jwt-session:subject:{alice}"))
        .isEqualTo(t0.plus(ABSOLUTE).plusSeconds(60).toEpochMilli());
  }

  @Test
  void rotationStoresJtisAndInstantsOnlyAndSetsARelativePhysicalExpiry() {
    String family = registerFamily("alice", "jti-1");
    store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(60)));
    store.rotate(rotation(family, "jti-2", "jti-3", t0.plusSeconds(61)));

    String key = "jwt-session:family:{" + family + "}";
    assertThat(redis().hgetall(key))
        .containsOnlyKeys("cur", "rot", "prev", "prot", "pprev", "exp", "abs")
        .containsEntry("cur", "jti-3")
        .containsEntry("prev", "jti-2")
        .containsEntry("pprev", "jti-1")
        .containsEntry("rot", Long.toString(t0.plusSeconds(61).toEpochMilli()))
        .containsEntry("prot", Long.toString(t0.plusSeconds(60).toEpochMilli()));
    assertThat(redis().exists(key + ":successor")).as("no token at rest").isZero();
    // exp - now + margin, counted by Redis from the moment of the call: no clock is compared.
    long ttl = redis().pttl(key);
    assertThat(ttl)
        .isLessThanOrEqualTo(LIFETIME.plusSeconds(60).toMillis())
        .isGreaterThan(LIFETIME.toMillis());
  }

  @Test
  void theSubjectIndexExpiresWithTheLongestLivedFamilyAndNeverEarlier() {
    registerFamily("alice", "jti-1");
    store.register(
        new FamilyRecord("short", "alice", "jti-s", t0.plusSeconds(10), t0.plusSeconds(20)));

    assertThat(redis().pexpiretime("jwt-session:subject:{alice}"))
        .isEqualTo(t0.plus(ABSOLUTE).plusSeconds(60).toEpochMilli());
  }

  @Test
  void theSubjectIndexIsASortedSetByAbsoluteExpiryPrunedOfLongExpiredFamiliesOnLogin() {
    Instant past = Instant.now().minusSeconds(600);
    store.register(new FamilyRecord("old", "alice", "jti-o", past.minusSeconds(60), past));
    String live = registerFamily("alice", "jti-1");

    String index = "jwt-session:subject:{alice}";
    assertThat(redis().type(index)).isEqualTo("zset");
    assertThat(redis().zrange(index, 0, -1)).containsExactly(live);
    assertThat(redis().zscore(index, live)).isEqualTo((double) t0.plus(ABSOLUTE).toEpochMilli());
  }

  @Test
  void aSubjectBeyondItsCapLosesItsOwnOldestFamiliesAndTheListenerHearsIt() {
    List<String> heard = new CopyOnWriteArrayList<>();
    try (RedisRefreshTokenStore capped =
        RedisRefreshTokenStore.builder()
            .client(client)
            .maxFamiliesPerSubject(3)
            .listener(
                new SessionListener() {
                  @Override
                  public void familyEvicted(
                      String subject, String familyId, SessionListener.Eviction cause) {
                    heard.add(subject + ":" + familyId + ":" + cause);
                  }
                })
            .build()) {
      capped.register(new FamilyRecord("bob-1", "bob", "j", t0.plus(LIFETIME), t0.plus(ABSOLUTE)));
      for (int i = 1; i <= 5; i++) {
        capped.register(
            new FamilyRecord(
                "m" + i, "mallory", "j" + i, t0.plus(LIFETIME), t0.plus(ABSOLUTE).plusSeconds(i)));
      }

      assertThat(capped.isActive("bob-1", t0)).isTrue();
      assertThat(capped.isActive("m1", t0)).isFalse();
      assertThat(capped.isActive("m2", t0)).isFalse();
      assertThat(capped.isActive("m3", t0)).isTrue();
      assertThat(capped.isActive("m5", t0)).isTrue();
      assertThat(redis().zcard("jwt-session:subject:{mallory}")).isEqualTo(3);
      assertThat(heard).containsExactly("mallory:m1:SUBJECT_CAP", "mallory:m2:SUBJECT_CAP");
    }
  }

  @Test
  void theDefaultCapIsFiftyFamiliesPerSubject() {
    for (int i = 0; i < 52; i++) {
      registerFamily("alice", "jti-" + i);
    }

    assertThat(RedisRefreshTokenStore.DEFAULT_MAX_FAMILIES_PER_SUBJECT).isEqualTo(50);
    assertThat(redis().zcard("jwt-session:subject:{alice}")).isEqualTo(50);
    assertThat(keys("jwt-session:family:*")).hasSize(50);
  }

  @Test
  void logOutEverywhereOfASubjectWithManyFamiliesRunsInPagesAndARetryIsHarmless() {
    int many = RedisRefreshTokenStore.REVOKE_PAGE * 2 + 17;
    try (RedisRefreshTokenStore roomy =
        RedisRefreshTokenStore.builder().client(client).maxFamiliesPerSubject(1_000).build()) {
      for (int i = 0; i < many; i++) {
        roomy.register(
            new FamilyRecord("f" + i, "carol", "j" + i, t0.plus(LIFETIME), t0.plus(ABSOLUTE)));
      }

      assertThat(roomy.revokeSubject("carol", t0)).isEqualTo(many);
      assertThat(roomy.revokeSubject("carol", t0)).isZero();
      assertThat(redis().exists("jwt-session:subject:{carol}")).isZero();
      assertThat(keys("jwt-session:family:*")).isEmpty();
    }
  }

  @Test
  void rotationStillWorksAfterRedisForgotTheScripts() {
    String family = registerFamily("alice", "jti-1");
    redis().scriptFlush();

    assertThat(store.rotate(rotation(family, "jti-1", "jti-2", t0.plusSeconds(1))).outcome())
        .isEqualTo(Outcome.ROTATED);
  }

  /**
   * Measured on Redis 7.0 with UUID ids: the family hash takes 264 bytes, the subject index 264
   * bytes for its first family and about 90 for each further one. No successor token is kept.
   */
  @Test
  void aFamilyTakesAFewHundredBytesOfRedisMemory() {
    String subject = UUID.randomUUID().toString();
    String family = registerFamily(subject, UUID.randomUUID().toString());
    String familyKey = "jwt-session:family:{" + family + "}";
    String indexKey = "jwt-session:subject:{" + subject + "}";
    store.rotate(
        rotation(
            family,
            redis().hget(familyKey, "cur"),
            UUID.randomUUID().toString(),
            t0.plusSeconds(1)));
    long indexWithOne = redis().memoryUsage(indexKey);
    for (int i = 0; i < 10; i++) {
      registerFamily(subject, UUID.randomUUID().toString());
    }

    assertThat(redis().memoryUsage(familyKey)).isLessThanOrEqualTo(320);
    assertThat(indexWithOne).isLessThanOrEqualTo(320);
    assertThat((redis().memoryUsage(indexKey) - indexWithOne) / 10).isLessThanOrEqualTo(128);
  }

  @Test
  void aCustomKeyPrefixIsUsedForEveryKey() {
    try (RedisRefreshTokenStore prefixed =
        RedisRefreshTokenStore.builder().client(client).keyPrefix("app2:").build()) {
      prefixed.register(new FamilyRecord("f1", "bob", "j1", t0.plus(LIFETIME), t0.plus(ABSOLUTE)));

      assertThat(keys("*")).containsExactlyInAnyOrder("app2:family:{f1}", "app2:subject:{bob}");
      assertThat(store.isActive("f1", t0)).isFalse();
      assertThat(prefixed.isActive("f1", t0)).isTrue();
    }
  }
}
