package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.RefreshTokenStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of rotation protocol v2 ({@code docs/rotation-protocol.md}): two engines
 * ("nodes") sharing one in-memory store and one clock, a browser modelled as a cookie jar that can
 * drop a reply. The store's side is {@code RefreshTokenStoreContract}; the interleavings are
 * explored in {@code RotationModelCheckTest}.
 */
class RotationProtocolTest {

  static final Duration GRACE = Duration.ofSeconds(5);

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final AtomicInteger reauthCalls = new AtomicInteger();
  final AtomicBoolean reauthFails = new AtomicBoolean();
  final RefreshTokenStore store = InMemoryRefreshTokenStore.create();
  final JwtSession nodeA = node();
  final JwtSession nodeB = node();

  JwtSession node() {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).secret(secret('a')))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(secret('r')))
        .clock(clock)
        .listener(listener)
        .reauth(
            refresh -> {
              reauthCalls.incrementAndGet();
              if (reauthFails.get()) {
                throw new IllegalStateException("user directory down");
              }
              return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
            })
        .rotation(r -> r.store(store).reuseGrace(GRACE).absoluteLifetime(Duration.ofDays(10)))
        .build();
  }

  private static String secret(char c) {
    return String.valueOf(c).repeat(40);
  }

  @Test
  void aRenewalWhoseReplyWasLostIsRenewedLongAfterTheGraceWindowWithTheSameSuccessorAndNoAlarm() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    RecordingCookieSink lost = new RecordingCookieSink();
    assertThat(nodeA.resolve(refreshOnly(t0), lost).reauthenticated()).isTrue();

    clock.advance(Duration.ofMinutes(20));
    RecordingCookieSink retry = new RecordingCookieSink();
    Session renewed = nodeB.resolve(refreshOnly(t0), retry);

    assertThat(renewed.isAuthenticated()).isTrue();
    assertThat(listener.count("reuseDetected")).isZero();
    String successor = retry.value("app_refresh").orElseThrow();
    assertThat(jti(successor))
        .as("I1: the one successor of t0")
        .isEqualTo(jti(lost.value("app_refresh").orElseThrow()));
    assertThat(claim(successor, "exp"))
        .as("signed afresh: its cookie lives from the retry on")
        .isGreaterThan(claim(lost.value("app_refresh").orElseThrow(), "exp"));
    assertThat(nodeA.resolve(refreshOnly(successor), new RecordingCookieSink()).claims().get("rot"))
        .isEqualTo(2L);
  }

  @Test
  void aReauthFailureAfterTheStoreRotatedIsALostReplyAndTheSameTokenRenewsLater() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    reauthFails.set(true);
    assertThat(nodeA.resolve(refreshOnly(t0), new RecordingCookieSink()).isAuthenticated())
        .isFalse();

    reauthFails.set(false);
    clock.advance(Duration.ofMinutes(5));
    assertThat(nodeA.resolve(refreshOnly(t0), new RecordingCookieSink()).isAuthenticated())
        .isTrue();
    assertThat(listener.count("reuseDetected")).isZero();
  }

  @Test
  void onceTheSuccessorWasUsedTheAncestorAfterTheGraceWindowEndsTheFamilyOnBothNodes() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    String t1 = renew(nodeA, t0);
    clock.advance(Duration.ofMinutes(2));
    String t2 = renew(nodeB, t1);

    RecordingCookieSink replay = new RecordingCookieSink();
    assertThat(nodeA.resolve(refreshOnly(t0), replay).isAuthenticated()).isFalse();

    assertThat(replay.clears("app_refresh")).isTrue();
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
    assertThat(nodeB.resolve(refreshOnly(t2), new RecordingCookieSink()).isAuthenticated())
        .as("I3/I4: the newest token is revoked too")
        .isFalse();
  }

  @Test
  void theApplicationIsNeverAskedAboutAReplayedOrRevokedRefreshToken() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    String t1 = renew(nodeA, t0);
    clock.advance(Duration.ofMinutes(2));
    renew(nodeA, t1);
    int before = reauthCalls.get();

    nodeB.resolve(refreshOnly(t0), new RecordingCookieSink()); // theft: revokes
    nodeA.resolve(refreshOnly(t1), new RecordingCookieSink()); // revoked family
    nodeB.resolve(refreshOnly(t1), new RecordingCookieSink());

    assertThat(reauthCalls).as("Reauth only for tokens the store accepted").hasValue(before);
  }

  @Test
  void aLateNodeDoesNotHandTheSuccessorToAnAncestorOnceTheSuccessorWasUsedAfterTheWindow() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    String t1 = renew(nodeA, t0);
    // Node B learns the successor at the very end of the window...
    clock.advance(GRACE.minusMillis(1));
    assertThat(jti(renew(nodeB, t0))).isEqualTo(jti(t1));
    // ...the successor is used on node A...
    renew(nodeA, t1);
    // ...and one millisecond later the window, counted from the rotation instant, is over on B.
    clock.advance(Duration.ofMillis(1));
    Session late = nodeB.resolve(refreshOnly(t0), new RecordingCookieSink());

    assertThat(late.isAuthenticated()).isFalse();
    assertThat(listener.count("reuseDetected")).isEqualTo(1);
  }

  @Test
  void aBurstAcrossTwoNodesWithinTheGraceWindowGetsTheVerySamePairFromOneReauthPerNode() {
    String t0 = login();
    clock.advance(Duration.ofMinutes(2));
    RecordingCookieSink a = new RecordingCookieSink();
    nodeA.resolve(refreshOnly(t0), a);
    clock.advance(Duration.ofSeconds(2));
    RecordingCookieSink b = new RecordingCookieSink();
    nodeB.resolve(refreshOnly(t0), b);
    RecordingCookieSink a2 = new RecordingCookieSink();
    nodeA.resolve(refreshOnly(t0), a2);

    assertThat(values(b)).isEqualTo(values(a)).hasSize(2);
    assertThat(values(a2)).isEqualTo(values(a));
    assertThat(reauthCalls).hasValue(2);
    assertThat(listener.count("reauthenticated")).isEqualTo(1);
  }

  @Test
  void aRenewalNeverExtendsTheLoginPastItsAbsoluteExpiry() {
    String t0 = login();
    clock.advance(Duration.ofDays(5));
    String t1 = renew(nodeA, t0);
    clock.advance(Duration.ofDays(5).minusMinutes(1));
    RecordingCookieSink lost = new RecordingCookieSink();
    nodeA.resolve(refreshOnly(t1), lost);
    clock.advance(Duration.ofSeconds(30));
    String retried = renew(nodeB, t1);

    assertThat(claim(retried, "exp")).isLessThanOrEqualTo(claim(retried, "aex"));
    clock.advance(Duration.ofSeconds(31));
    assertThat(nodeA.resolve(refreshOnly(retried), new RecordingCookieSink()).isAuthenticated())
        .isFalse();
  }

  // ---- helpers

  /** Logs in on node A; returns the refresh token. */
  private String login() {
    RecordingCookieSink sink = new RecordingCookieSink();
    nodeA.resolve(null, sink).login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
    listener.clear();
    return sink.value("app_refresh").orElseThrow();
  }

  /** Presents {@code refresh} alone on {@code node}; asserts a renewal; returns the new one. */
  private static String renew(JwtSession node, String refresh) {
    RecordingCookieSink sink = new RecordingCookieSink();
    assertThat(node.resolve(refreshOnly(refresh), sink).isAuthenticated()).isTrue();
    return sink.value("app_refresh").orElseThrow();
  }

  /** The cookie values a response sets, without attributes (Max-Age counts from each "now"). */
  private static java.util.List<String> values(RecordingCookieSink sink) {
    return sink.headers().stream().map(h -> h.substring(0, h.indexOf(';'))).toList();
  }

  private static String refreshOnly(String refresh) {
    return "app_refresh=" + refresh;
  }

  private static final Pattern JTI = Pattern.compile("\"jti\":\"([^\"]+)\"");

  /** A token's jti, read from its payload (tests only; never verify this way). */
  static String jti(String token) {
    Matcher m = JTI.matcher(payload(token));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** A numeric claim of a token, read from its payload. */
  static long claim(String token, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(payload(token));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String payload(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }
}
