package dev.jwtsession.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.LoggingListener;
import dev.jwtsession.Payloads;
import dev.jwtsession.SessionListener;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spi.RefreshTokenStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Metrics" wiring is this class's {@code metrics} region, verbatim, and it works: the
 * meters count a login.
 */
class MetricsReadmeTest {

  private final MeterRegistry meterRegistry = new SimpleMeterRegistry();
  private final ObservationRegistry observationRegistry = ObservationRegistry.create();
  private final String accessSecret = "readme-access-secret-that-is-32-bytes-long";
  private final String refreshSecret = "readme-refresh-secret-that-is-32-bytes-lon";

  private static Optional<Payloads> findActive(dev.jwtsession.Claims refresh) {
    return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
  }

  // spotless:off (laid out for the README, which shows the region verbatim)
  private JwtSession wire() {
    // tag::metrics[]
    JwtSessionMetrics metrics = new JwtSessionMetrics();
    metrics.bindTo(meterRegistry);              // Spring Boot binds MeterBinder beans itself
    RefreshTokenStore store =
        new MeteredRefreshTokenStore(InMemoryRefreshTokenStore.create(), meterRegistry);
    JwtSession sessions = JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(15)).secret(accessSecret))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(refreshSecret))
        .reauth(new ObservedReauth(refresh -> findActive(refresh), observationRegistry))
        .rotation(r -> r.store(store))
        .listener(SessionListener.composite(new LoggingListener(), metrics))
        .build();
    // end::metrics[]
    return sessions;
  }
  // spotless:on

  @Test
  void theReadmeWiringCountsALoginAndTimesTheStoreCall() {
    JwtSession sessions = wire();

    sessions
        .resolve(null, new RecordingCookieSink())
        .login(Payloads.of(Map.of("sub", "a"), Map.of("sub", "a")));

    assertThat(meterRegistry.get("jwt.session.logins").counter().count()).isEqualTo(1);
    assertThat(
            meterRegistry
                .get("jwt.session.store")
                .tags("operation", "register", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void theReadmeShowsTheMetricsRegionVerbatim() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/dev/jwtsession/micrometer/MetricsReadmeTest.java"));
    Matcher region =
        Pattern.compile("// tag::metrics\\[]\\n(.*?)\\n\\s*// end::metrics\\[]", Pattern.DOTALL)
            .matcher(source);
    assertThat(region.find()).isTrue();
    List<String> lines = region.group(1).lines().toList();
    StringBuilder dedented = new StringBuilder();
    for (String line : lines) {
      dedented.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }

    assertThat(Files.readString(Path.of("../README.md")))
        .contains(dedented.toString().stripTrailing());
  }
}
