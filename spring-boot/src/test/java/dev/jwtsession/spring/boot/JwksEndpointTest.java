package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import dev.jwtsession.servlet.JwksServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * {@code jwt-session.jwks.*}: the {@link JwksServlet} registration, its start-up errors, and Spring
 * Security's {@link NimbusJwtDecoder} verifying an access token from the served JWK Set.
 */
class JwksEndpointTest {

  /** A JWK Set with one RSA key pair, kid {@code rsa-1} (test-only key). */
  static final String RSA_JWK_SET = new JWKSet(TestKeys.key("RS256", "rsa-1")).toString(false);

  final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(JwtSessionAutoConfigurationTest.AUTO_CONFIGURATIONS)
          .withPropertyValues(
              "jwt-session.access.jwk-set=" + RSA_JWK_SET,
              "jwt-session.refresh.secret=" + TestSecrets.REFRESH);

  @Test
  void theEndpointIsOffByDefault() {
    web.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("jwtSessionJwksRegistration");
          assertThat(context.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
        });
  }

  @Test
  void enabledItRegistersTheJwksServletAtTheWellKnownPathByDefault() {
    web.withPropertyValues("jwt-session.jwks.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ServletRegistrationBean<?> registration =
                  context.getBean("jwtSessionJwksRegistration", ServletRegistrationBean.class);
              assertThat(registration.getServlet()).isInstanceOf(JwksServlet.class);
              assertThat(registration.getUrlMappings()).containsExactly("/.well-known/jwks.json");
            });
  }

  @Test
  void pathAndMaxAgeAreBoundFromTheProperties() {
    web.withPropertyValues(
            "jwt-session.jwks.enabled=true",
            "jwt-session.jwks.path=/keys.json",
            "jwt-session.jwks.max-age=1h")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JwtSessionProperties.Jwks jwks =
                  context.getBean(JwtSessionProperties.class).getJwks();
              assertThat(jwks.getMaxAge()).hasHours(1);
              assertThat(
                      context
                          .getBean("jwtSessionJwksRegistration", ServletRegistrationBean.class)
                          .getUrlMappings())
                  .containsExactly("/keys.json");
            });
  }

  @Test
  void enabledWithHmacOnlyAccessKeysTheStartFailsNamingTheProperty() {
    new WebApplicationContextRunner()
        .withConfiguration(JwtSessionAutoConfigurationTest.AUTO_CONFIGURATIONS)
        .withPropertyValues(TestSecrets.PROPERTIES)
        .withPropertyValues("jwt-session.jwks.enabled=true")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new JwtSessionFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("jwt-session.jwks.enabled: the access keys are HMAC secrets only")
                  .contains("HMAC secrets are never published; use RSA, EC or Ed25519 keys")
                  .doesNotContain(TestSecrets.ACCESS);
            });
  }

  @Test
  void enabledWithEncryptedAccessTokensTheStartFailsNamingTheProperty() {
    web.withPropertyValues("jwt-session.jwks.enabled=true")
        .withBean(
            JwtSessionBuilderCustomizer.class,
            () -> b -> b.access(t -> t.encryption(EncryptionKeys.direct("e1", new byte[32]))))
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new JwtSessionFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("jwt-session.jwks.enabled: access tokens are encrypted")
                  .contains("other services could not read them");
            });
  }

  @Test
  void springSecuritysNimbusJwtDecoderVerifiesAnAccessTokenWithTheServedJwkSet() throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplication(App.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--jwt-session.jwks.enabled=true",
                "--jwt-session.access.jwk-set=" + RSA_JWK_SET,
                "--jwt-session.refresh.secret=" + TestSecrets.REFRESH)) {
      String port = context.getEnvironment().getProperty("local.server.port");
      String url = "http://127.0.0.1:" + port + "/.well-known/jwks.json";
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/jwk-set+json");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
      assertThat(response.body()).contains("\"kid\":\"rsa-1\"").doesNotContain("\"d\"");

      RecordingCookieSink sink = new RecordingCookieSink();
      context
          .getBean(JwtSession.class)
          .resolve(null, sink)
          .login(Payloads.of(Map.of("sub", "alice"), Map.of("sub", "alice")));
      String token = sink.value("jwt_session_access").orElseThrow();

      NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(url).build();
      decoder.setJwtValidator(
          new DelegatingOAuth2TokenValidator<>(
              new JwtTimestampValidator(), new JwtTypeValidator("at+jwt")));
      Jwt jwt = decoder.decode(token);

      assertThat(jwt.getSubject()).isEqualTo("alice");
      assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt").containsEntry("kid", "rsa-1");
    }
  }

  /** Nothing but the auto-configuration. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
