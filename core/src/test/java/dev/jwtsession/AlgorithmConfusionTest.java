package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import dev.jwtsession.fixtures.TokenForge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test 2 of issue 16: the algorithm confusion matrix. For every ordered pair of supported
 * algorithms (X signs, the key is pinned to Y ≠ X) the token is refused; so are HS256 tokens keyed
 * with a public key's bytes, {@code alg: none} in four spellings against every pinning, and {@code
 * EdDSA} against an {@code Ed25519}-pinned key and back even when signed with the real key. Each is
 * refused with the reason recorded and nothing thrown.
 */
class AlgorithmConfusionTest {

  final MutableClock clock = MutableClock.atFixedStart();
  final long now = clock.instant().getEpochSecond();
  final CapturingListener listener = new CapturingListener();

  JwtSession pinnedTo(JWK key) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).keys(Keys.of(key)))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secret("test-refresh-secret-that-is-32-bytes-long"))
        .clock(clock)
        .listener(listener)
        .build();
  }

  void assertRefused(JwtSession engine, String token, RejectionReason reason) {
    AtomicReference<Session> session = new AtomicReference<>();
    assertThatCode(
            () -> session.set(engine.resolve("app_session=" + token, new RecordingCookieSink())))
        .doesNotThrowAnyException();
    assertThat(session.get().isAuthenticated()).isFalse();
    assertThat(listener.events()).containsExactly("rejected:ACCESS:" + reason);
    listener.clear();
  }

  static Stream<Arguments> orderedPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (String signs : TestKeys.ALGORITHMS) {
      for (String pinned : TestKeys.ALGORITHMS) {
        if (!signs.equals(pinned)) {
          pairs.add(Arguments.of(signs, pinned));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} token to a key pinned to {1}")
  @MethodSource("orderedPairs")
  void tokenOfAnotherAlgorithmThanTheKeysIsRefused(String signs, String pinned) {
    JWK key = TestKeys.key(pinned, "k");
    String token =
        TestKeys.sign(
            signs,
            TestKeys.key(signs, "k"),
            TestKeys.accessHeader(signs, "k"),
            TokenForge.accessPayload(now, ""));

    assertRefused(pinnedTo(key), token, RejectionReason.ALG_NOT_ALLOWED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"})
  void hs256KeyedWithThePublicKeysBytesIsRefused(String pinned) throws JOSEException {
    JWK key = TestKeys.key(pinned, "k");
    byte[] publicBytes =
        key instanceof RSAKey rsa
            ? rsa.toRSAPublicKey().getEncoded()
            : key instanceof ECKey ec
                ? ec.toECPublicKey().getEncoded()
                : ((OctetKeyPair) key).getDecodedX();
    for (byte[] secret : List.of(publicBytes, key.toPublicJWK().toJSONString().getBytes())) {
      String token =
          TokenForge.hs256(
              TestKeys.accessHeader("HS256", "k"), TokenForge.accessPayload(now, ""), secret);
      assertRefused(pinnedTo(key), token, RejectionReason.ALG_NOT_ALLOWED);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "RS256", "PS256", "ES256", "EdDSA", "Ed25519"})
  void algNoneInFourSpellingsIsRefusedWhateverTheKey(String pinned) {
    JwtSession engine = pinnedTo(TestKeys.key(pinned, "k"));
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      String unsigned =
          TokenForge.unsigned(TestKeys.accessHeader(none, "k"), TokenForge.accessPayload(now, ""));
      assertRefused(engine, unsigned + "c2ln", RejectionReason.ALG_NOT_ALLOWED);
    }
  }

  @Test
  void edDsaTokenToAnEd25519PinnedKeyIsRefusedThoughSignedWithThatKey() {
    JWK key = TestKeys.key("Ed25519", "k");
    String token =
        TestKeys.sign(
            "EdDSA", key, TestKeys.accessHeader("EdDSA", "k"), TokenForge.accessPayload(now, ""));

    assertRefused(pinnedTo(key), token, RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void ed25519TokenToAnEdDsaPinnedKeyIsRefusedThoughSignedWithThatKey() {
    JWK key = TestKeys.key("EdDSA", "k");
    String token =
        TestKeys.sign(
            "Ed25519",
            key,
            TestKeys.accessHeader("Ed25519", "k"),
            TokenForge.accessPayload(now, ""));

    assertRefused(pinnedTo(key), token, RejectionReason.ALG_NOT_ALLOWED);
  }

  @Test
  void controlTheSameForgeWithTheRightAlgorithmIsAccepted() {
    JWK key = TestKeys.key("Ed25519", "k");
    String token =
        TestKeys.sign(
            "Ed25519",
            key,
            TestKeys.accessHeader("Ed25519", "k"),
            TokenForge.accessPayload(now, ""));

    Session session = pinnedTo(key).resolve("app_session=" + token, new RecordingCookieSink());

    assertThat(session.subject()).contains("mallory");
  }
}
