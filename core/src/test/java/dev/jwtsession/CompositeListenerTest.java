package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.EngineHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositeListenerTest extends EngineHarness {

  private final CapturingListener first = new CapturingListener();
  private final CapturingListener last = new CapturingListener();
  private final SessionListener throwing =
      new SessionListener() {
        @Override
        public void loggedIn(Claims access) {
          throw new IllegalStateException("listener bug");
        }

        @Override
        public void rejected(TokenType type, RejectionReason reason) {
          throw new IllegalStateException("listener bug");
        }
      };

  private JwtSession engineHearing(SessionListener listener) {
    return JwtSession.builder()
        .access(
            t -> t.cookieName("app_session").maxAge(Duration.ofSeconds(60)).secret(ACCESS_SECRET))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH_SECRET))
        .clock(clock)
        .listener(listener)
        .build();
  }

  @Test
  void everyListenerHearsEveryEventInOrder() {
    JwtSession engine = engineHearing(SessionListener.composite(first, last));

    engine.resolve("app_session=junk", sink);
    engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "a")));

    assertThat(first.events()).containsExactly("rejected:ACCESS:MALFORMED", "loggedIn");
    assertThat(last.events()).isEqualTo(first.events());
  }

  @Test
  void aThrowingListenerNeverStopsTheOthersNorTheRequest() {
    JwtSession engine = engineHearing(SessionListener.composite(first, throwing, last));

    Session junk = resolve(engine, "app_session=junk");
    Session session = resolve(engine, null);
    session.login(Payloads.accessOnly(Map.of("sub", "a")));

    assertThat(junk.isAuthenticated()).isFalse();
    assertThat(session.isAuthenticated()).isTrue();
    assertThat(first.events()).containsExactly("rejected:ACCESS:MALFORMED", "loggedIn");
    assertThat(last.events()).containsExactly("rejected:ACCESS:MALFORMED", "loggedIn");
  }
}
