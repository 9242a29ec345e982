package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
  void everyEventOfTheListenerInterfaceReachesEveryListenerOfACompositeAndThroughASafeListener()
      throws Exception {
    List<String> heard = new ArrayList<>();
    SessionListener recorder =
        (SessionListener)
            Proxy.newProxyInstance(
                SessionListener.class.getClassLoader(),
                new Class<?>[] {SessionListener.class},
                (proxy, method, args) -> {
                  if (method.getDeclaringClass() == Object.class) {
                    return method.getName().equals("toString") ? "recorder" : null;
                  }
                  heard.add(method.getName());
                  return null;
                });
    List<String> events = new ArrayList<>();
    for (Method event : SessionListener.class.getMethods()) {
      if (Modifier.isStatic(event.getModifiers())) {
        continue;
      }
      events.add(event.getName());
      Object[] args = Arrays.stream(event.getParameterTypes()).map(t -> sample(t)).toArray();
      event.invoke(SessionListener.composite(recorder, recorder), args);
      event.invoke(new SafeListener(recorder), args);
    }

    assertThat(events).contains("familyEvicted", "reuseDetected", "loggedIn");
    List<String> expected = new ArrayList<>();
    for (String event : events) {
      expected.addAll(List.of(event, event, event));
    }
    assertThat(heard).containsExactlyElementsOf(expected);
  }

  /** A value of {@code type} to pass through: the listeners under test only forward it. */
  private static @Nullable Object sample(Class<?> type) {
    if (type == int.class) {
      return 1;
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    return type == String.class ? "value" : null;
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
