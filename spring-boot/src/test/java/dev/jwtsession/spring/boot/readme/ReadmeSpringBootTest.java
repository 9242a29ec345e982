package dev.jwtsession.spring.boot.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.spring.boot.JwtSessionAutoConfiguration;
import dev.jwtsession.spring.boot.JwtSessionServletAutoConfiguration;
import dev.jwtsession.testkit.ReadmeRegions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The README's "Spring Boot" section shows code that compiles and runs: every tagged region of
 * {@link ReadmeSpringBootApp} and the properties file appear there verbatim, and an application
 * made of them starts and renews sessions through the README's {@code Reauth}.
 */
class ReadmeSpringBootTest {

  static String readme() throws IOException {
    return Files.readString(Path.of("../README.md"));
  }

  @Test
  void everyRegionAndThePropertiesAppearVerbatimInTheReadme() throws IOException {
    List<String> names =
        ReadmeRegions.assertInReadme(
            Path.of("src/test/java/dev/jwtsession/spring/boot/readme/ReadmeSpringBootApp.java"),
            Path.of("../README.md"),
            2);
    assertThat(names).containsExactly("controller", "beans");
    assertThat(readme())
        .contains(
            Files.readString(Path.of("src/test/resources/readme/application.properties")).strip());
  }

  @Test
  void theReadmeApplicationStartsAndItsReauthRenewsOnlyActiveUsers() throws IOException {
    List<String> properties =
        Files.readAllLines(Path.of("src/test/resources/readme/application.properties"));
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JwtSessionAutoConfiguration.class, JwtSessionServletAutoConfiguration.class))
        .withUserConfiguration(
            ReadmeSpringBootApp.Beans.class, ReadmeSpringBootApp.AccountController.class)
        .withPropertyValues(properties.toArray(String[]::new))
        .withPropertyValues(
            "JWT_SESSION_ACCESS_SECRET=readme-test-access-secret-of-32-bytes!",
            "JWT_SESSION_REFRESH_SECRET=readme-test-refresh-secret-of-32-bytes")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSession engine = context.getBean(JwtSession.class);
              assertThat(context.getBean(Reauth.class)).isNotNull();

              assertThat(renewed(engine, "alice")).isTrue();
              assertThat(renewed(engine, "mallory")).isFalse();
            });
  }

  private static boolean renewed(JwtSession engine, String user) {
    RecordingCookieSink login = new RecordingCookieSink();
    engine.resolve(null, login).login(Payloads.of(Map.of("sub", user), Map.of("sub", user)));
    String refreshOnly = "jwt_session_refresh=" + login.value("jwt_session_refresh").orElseThrow();
    Session session = engine.resolve(refreshOnly, new RecordingCookieSink());
    return session.isAuthenticated() && session.reauthenticated();
  }
}
