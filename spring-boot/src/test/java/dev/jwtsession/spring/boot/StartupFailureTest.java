package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each configuration mistake fails startup with a report that names the property, says how to fix
 * it and never quotes a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

  static final String SHORT_SECRET = "0123456789";

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(JwtSessionAutoConfigurationTest.AUTO_CONFIGURATIONS);

  /** The failure analyzer's report (description and action) of a context that must not start. */
  String report(ApplicationContextRunner failing) {
    String[] text = new String[1];
    failing.run(
        context -> {
          assertThat(context).hasFailed();
          Throwable failure = context.getStartupFailure();
          FailureAnalysis analysis = new JwtSessionFailureAnalyzer().analyze(failure);
          assertThat(analysis).as("a JwtSessionConfigException in %s", failure).isNotNull();
          text[0] = analysis.getDescription() + "\n" + analysis.getAction();
        });
    assertThat(text[0])
        .doesNotContain(TestSecrets.ACCESS)
        .doesNotContain(TestSecrets.REFRESH)
        .doesNotContain(SHORT_SECRET)
        .contains("Fix each jwt-session property");
    return text[0];
  }

  @Test
  void aMissingAccessSecretNamesThePropertyAndHowToSetIt() {
    String report =
        report(runner.withPropertyValues("jwt-session.refresh.secret=" + TestSecrets.REFRESH));

    assertThat(report)
        .contains("jwt-session.access.secret: is missing")
        .contains("random secret of 32 or more bytes")
        .doesNotContain("jwt-session.refresh.secret:");
  }

  @Test
  void aTenByteSecretNamesThePropertyAndTheLengthNeeded() {
    String report =
        report(
            runner.withPropertyValues(
                "jwt-session.access.secret=" + SHORT_SECRET,
                "jwt-session.refresh.secret=" + TestSecrets.REFRESH));

    assertThat(report)
        .contains("jwt-session.access.secret: is 10 bytes; HS256 needs at least 32")
        .contains("openssl rand -base64 32");
  }

  @Test
  void sameSiteNoneWithoutSecureNamesThePropertyAndTheFix() {
    String report =
        report(
            runner
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues(
                    "jwt-session.access.same-site=none", "jwt-session.access.secure=false"));

    assertThat(report).contains("jwt-session.access.same-site: None needs Secure").contains("Keep");
  }

  @Test
  void aNegativeMaxAgeNamesThePropertyAndTheFix() {
    String report =
        report(
            runner
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues("jwt-session.refresh.max-age=-1s"));

    assertThat(report)
        .contains("jwt-session.refresh.max-age: is PT-1S; it must be at least one second")
        .contains("Use a positive duration");
  }

  @Test
  void anUnknownSameSiteNamesThePropertyAndTheValidValues() {
    String report =
        report(
            runner
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues("jwt-session.access.same-site=sideways"));

    assertThat(report)
        .contains("jwt-session.access.same-site: 'sideways' is not a SameSite value")
        .contains("Use lax, strict or none");
  }

  @Test
  void theRedisStoreWithoutJwtSessionRedisOnTheClasspathSaysWhichDependencyToAdd() {
    String report =
        report(
            runner
                .withClassLoader(new FilteredClassLoader(RedisRefreshTokenStore.class))
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues(
                    "jwt-session.rotation.enabled=true", "jwt-session.rotation.store=redis"));

    assertThat(report)
        .contains("jwt-session.rotation.store: is redis, but jwt-session-redis is not on the")
        .contains("Add the dependency dev.jwtsession:jwt-session-redis");
  }

  @Test
  void theRedisStoreWithoutAnyUrlNamesThePropertiesThatGiveOne() {
    String report =
        report(
            runner
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues(
                    "jwt-session.rotation.enabled=true", "jwt-session.rotation.store=redis"));

    assertThat(report)
        .contains("jwt-session.redis.url: is missing while jwt-session.rotation.store=redis")
        .contains("spring.data.redis.url");
  }

  @Test
  void aSecretAndAJwkSetTogetherAreRefused() {
    String report =
        report(
            runner
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues(
                    "jwt-session.access.jwk-set={\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}"));

    assertThat(report)
        .contains("jwt-session.access.secret: is set together with jwt-session.access.jwk-set")
        .contains("Set only one of the two")
        .doesNotContain("AAAA");
  }

  @Test
  void aCustomizerSettingAConfiguredPropertyIsNamedWithTheProperty() {
    String report =
        report(
            runner
                .withUserConfiguration(LeewayCustomizer.class)
                .withPropertyValues(TestSecrets.PROPERTIES)
                .withPropertyValues("jwt-session.leeway=2s"));

    assertThat(report)
        .contains(
            "jwt-session.leeway: is set by the property jwt-session.leeway and again by the"
                + " JwtSessionBuilderCustomizer 'leewayCustomizer'")
        .contains("Remove one of the two");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String report =
        report(
            runner.withPropertyValues(
                "jwt-session.refresh.secret=" + SHORT_SECRET,
                "jwt-session.access.same-site=sideways",
                "jwt-session.access.max-age=0s",
                "jwt-session.leeway=1h",
                "jwt-session.access-cache-size=-1"));

    assertThat(report)
        .contains("(6 problems;")
        .contains("jwt-session.access.secret: is missing")
        .contains("jwt-session.refresh.secret: is 10 bytes")
        .contains("jwt-session.access.same-site: 'sideways'")
        .contains("jwt-session.access.max-age: is PT0S")
        .contains("jwt-session.leeway: is PT1H")
        .contains("jwt-session.access-cache-size: is -1");
  }

  @Test
  void springBootPrintsTheReportWhenTheApplicationFailsToStart(CapturedOutput output) {
    SpringApplicationBuilder application =
        new SpringApplicationBuilder(Empty.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.banner-mode=off",
                "jwt-session.refresh.secret=" + TestSecrets.REFRESH,
                "jwt-session.access.max-age=-1s");

    org.assertj.core.api.Assertions.assertThatThrownBy(application::run)
        .hasRootCauseInstanceOf(JwtSessionConfigException.class);
    assertThat(output.toString())
        .contains("APPLICATION FAILED TO START")
        .contains("jwt-session.access.secret: is missing")
        .contains("jwt-session.access.max-age: is PT-1S")
        .doesNotContain(TestSecrets.REFRESH);
  }

  @Configuration(proxyBeanMethods = false)
  static class LeewayCustomizer {
    @Bean
    JwtSessionBuilderCustomizer leewayCustomizer() {
      return b -> b.leeway(java.time.Duration.ofSeconds(1));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @org.springframework.boot.autoconfigure.EnableAutoConfiguration
  static class Empty {}
}
