package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Keys;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import dev.jwtsession.testkit.Browser;
import dev.jwtsession.testkit.SessionInvariants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test 4 of issue 16: the three-phase key rotation of the README on two nodes, each a real Jetty
 * {@link TestApp} with its own engine, node A always one phase ahead of node B during the rolling
 * deploy. In every step, sessions begun on either node are sent to both (with reauth when the
 * access token has expired) and no request is anonymous; after phase 3, tokens signed with the old
 * key are refused on both as {@code UNKNOWN_KEY}.
 */
@ExtendWith(SessionInvariants.class)
class TwoNodeKeyRotationTest {

  static final Duration ACCESS_LIFETIME = Duration.ofMinutes(1);
  static final Duration REFRESH_LIFETIME = Duration.ofMinutes(60);

  /** What a user may see during a rotation: expiries, never a key problem. */
  static final Set<String> ALLOWED_REJECTIONS =
      Set.of(
          "rejected:ACCESS:EXPIRED",
          "rejected:REFRESH:EXPIRED",
          "rejected:REFRESH:ABSOLUTE_LIFETIME_EXCEEDED");

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listenerA = new CapturingListener();
  final CapturingListener listenerB = new CapturingListener();
  TestApp nodeA;
  TestApp nodeB;
  JWK oldKey;
  JWK newKey;

  @AfterEach
  void stop() throws Exception {
    for (TestApp node : new TestApp[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
  }

  /** The access keys of a node in {@code phase} 0 (old signs) to 3 (new signs, old removed). */
  Keys phase(int phase) {
    return switch (phase) {
      case 0 -> Keys.of(oldKey);
      case 1 -> Keys.of(oldKey, verifying(newKey)); // new key verification-only
      case 2 -> Keys.of(newKey, verifying(oldKey)); // new key signs, old verifies
      default -> Keys.of(newKey); // old key removed
    };
  }

  /** What a node that only verifies with {@code key} holds: the public part, or the secret. */
  static JWK verifying(JWK key) {
    return key instanceof OctetSequenceKey ? key : key.toPublicJWK();
  }

  JwtSession engine(int phase, CapturingListener listener) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(ACCESS_LIFETIME)
                    .secure(false)
                    .keys(phase(phase)))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(REFRESH_LIFETIME)
                    .secure(false)
                    .secret("two-node-refresh-secret-of-32-bytes-long!"))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .listener(listener)
        .build();
  }

  /** Redeploys the nodes whose phase changed. */
  void deploy(int phaseA, int phaseB, int[] current) throws Exception {
    if (current[0] != phaseA) {
      if (nodeA != null) {
        nodeA.close();
      }
      nodeA = TestApp.start(engine(phaseA, listenerA));
      current[0] = phaseA;
    }
    if (current[1] != phaseB) {
      if (nodeB != null) {
        nodeB.close();
      }
      nodeB = TestApp.start(engine(phaseB, listenerB));
      current[1] = phaseB;
    }
  }

  /** Sends {@code GET /me} with {@code jar}'s cookies to {@code node}, applying Set-Cookie. */
  static HttpResponse<String> me(TestApp node, Map<String, String> jar) throws Exception {
    Browser browser = new Browser(node.url());
    browser.cookies().putAll(jar);
    HttpResponse<String> response = browser.get("/me");
    jar.clear();
    jar.putAll(browser.cookies());
    return response;
  }

  static int meStatus(TestApp node, Map<String, String> jar) {
    try {
      return me(node, jar).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> login(TestApp node, String subject) throws Exception {
    Browser browser = new Browser(node.url());
    browser.post("/login?sub=" + subject);
    return new LinkedHashMap<>(browser.cookies());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "ES256", "EdDSA"})
  void rollingRotationOverTwoNodesLogsNobodyOutAndEndsWithTheOldKeyRefused(String alg)
      throws Exception {
    oldKey = TestKeys.generate(alg, "old");
    newKey = TestKeys.generate(alg, "new");
    int[] current = {-1, -1};
    deploy(0, 0, current);
    List<Map<String, String>> sessions = new ArrayList<>();
    sessions.add(login(nodeA, "before-a"));
    sessions.add(login(nodeB, "before-b"));

    int[][] steps = {{1, 0}, {1, 1}, {2, 1}, {2, 2}, {3, 2}, {3, 3}};
    for (int[] step : steps) {
      if (step[0] == 3 && current[0] == 2) {
        // Phase 3 comes only after the longest lifetime of an old-key token (the refresh maxAge,
        // which without rotation is also a login's absolute lifetime): active users renew meanwhile
        // on phase-2 nodes, with the new key; sessions reaching their end of life are dropped.
        int tick = 0;
        for (Duration waited = Duration.ZERO;
            waited.compareTo(REFRESH_LIFETIME) <= 0;
            waited = waited.plus(ACCESS_LIFETIME.multipliedBy(2)), tick++) {
          clock.advance(ACCESS_LIFETIME.multipliedBy(2));
          TestApp node = tick % 2 == 0 ? nodeA : nodeB;
          sessions.removeIf(jar -> meStatus(node, jar) == 401);
          if (tick % 10 == 0) {
            sessions.add(login(nodeA, "wait-a-" + tick));
            sessions.add(login(nodeB, "wait-b-" + tick));
          }
        }
      }
      deploy(step[0], step[1], current);
      sessions.add(login(nodeA, "a-in-" + step[0] + step[1]));
      sessions.add(login(nodeB, "b-in-" + step[0] + step[1]));
      for (int round = 0; round < 2; round++) {
        for (Map<String, String> jar : sessions) {
          for (TestApp node : new TestApp[] {nodeA, nodeB, nodeB, nodeA}) {
            HttpResponse<String> response = me(node, jar);
            assertThat(response.statusCode())
                .as("phases A=%d B=%d, %s", step[0], step[1], response.body())
                .isEqualTo(200);
          }
        }
        clock.advance(ACCESS_LIFETIME.plusSeconds(10)); // the next round renews through reauth
      }
    }
    assertThat(listenerA.events())
        .filteredOn(e -> e.startsWith("rejected"))
        .isSubsetOf(ALLOWED_REJECTIONS);
    assertThat(listenerB.events())
        .filteredOn(e -> e.startsWith("rejected"))
        .isSubsetOf(ALLOWED_REJECTIONS);
    listenerA.clear();
    listenerB.clear();

    // After phase 3: a fresh, unexpired token signed with the old key is refused on both nodes.
    JwtSession oldSigner = engine(0, new CapturingListener());
    RecordingCookieSink sink = new RecordingCookieSink();
    oldSigner.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "old-key")));
    String oldToken = sink.value("app_session").orElseThrow();
    for (TestApp node : new TestApp[] {nodeA, nodeB}) {
      Map<String, String> jar = new LinkedHashMap<>(Map.of("app_session", oldToken));
      assertThat(me(node, jar).statusCode()).isEqualTo(401);
    }
    assertThat(listenerA.events()).containsExactly("rejected:ACCESS:UNKNOWN_KEY");
    assertThat(listenerB.events()).containsExactly("rejected:ACCESS:UNKNOWN_KEY");
  }
}
