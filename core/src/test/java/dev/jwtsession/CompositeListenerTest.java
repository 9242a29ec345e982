package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompositeListenerTest {

  @Test
  void everyListenerHearsEachEventInTheOrderGiven() {
    StringBuilder order = new StringBuilder();
    SessionListener first =
        new SessionListener() {
          @Override
          public void loggedOut(String familyId) {
            order.append("first ");
          }
        };
    SessionListener second =
        new SessionListener() {
          @Override
          public void loggedOut(String familyId) {
            order.append("second");
          }
        };

    SessionListener.composite(first, second).loggedOut(null);

    assertThat(order).hasToString("first second");
  }

  @Test
  void aThrowingListenerNeverKeepsTheOthersFromHearingTheEvent() {
    CapturingListener before = new CapturingListener();
    CapturingListener after = new CapturingListener();
    SessionListener throwing =
        new SessionListener() {
          @Override
          public void rejected(TokenType type, RejectionReason reason) {
            throw new IllegalStateException("listener bug");
          }
        };

    SessionListener.composite(before, throwing, after)
        .rejected(TokenType.ACCESS, RejectionReason.EXPIRED);

    assertThat(before.events()).containsExactly("rejected:ACCESS:EXPIRED");
    assertThat(after.events()).containsExactly("rejected:ACCESS:EXPIRED");
  }

  @Test
  void aCompositeOfNullIsRefusedAtOnce() {
    assertThatThrownBy(() -> SessionListener.composite(new CapturingListener(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void nestedSettingsMayBeGivenInSeveralCallsButEachSettingOnlyOnce() {
    JwtSession engine =
        JwtSession.builder()
            .access(t -> t.cookieName("a").maxAge(Duration.ofMinutes(1)))
            .access(t -> t.secret(JwtSessionTest.ACCESS_SECRET).path("/app"))
            .refresh(t -> t.cookieName("r").maxAge(Duration.ofDays(1)))
            .refresh(t -> t.secret(JwtSessionTest.REFRESH_SECRET))
            .rotation(r -> r.reuseGrace(Duration.ofSeconds(2)))
            .rotation(r -> r.checkAccessRevocation(true))
            .csrf(c -> c.trustedOrigins("https://a.example"))
            .csrf(c -> c.enabled(true))
            .build();

    assertThat(engine.accessSettings().cookie().path()).isEqualTo("/app");
    assertThat(engine.rotation().orElseThrow().reuseGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(engine.rotation().orElseThrow().checkAccessRevocation()).isTrue();
    assertThat(engine.csrf().trustedOrigins()).containsExactly("https://a.example");
    assertThat(engine.resolve(null, new RecordingCookieSink()).isAuthenticated()).isFalse();

    assertThatThrownBy(
            () ->
                JwtSession.builder()
                    .access(t -> t.cookieName("a").maxAge(Duration.ofMinutes(1)))
                    .access(t -> t.maxAge(Duration.ofMinutes(2)))
                    .build())
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("access.maxAge: is set more than once");
  }
}
