package dev.jwtsession.spring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.spring.boot.JwtSessionAutoConfiguration;
import dev.jwtsession.spring.boot.JwtSessionFailureAnalyzer;
import dev.jwtsession.spring.boot.JwtSessionSecurityAutoConfiguration;
import dev.jwtsession.spring.boot.JwtSessionServletAutoConfiguration;
import dev.jwtsession.spring.security.AuthenticationPayloads;
import dev.jwtsession.spring.security.ClaimAuthorities;
import dev.jwtsession.spring.security.JwtSessionConfigurer;
import dev.jwtsession.spring.security.JwtSessionSecurityContextRepository;
import dev.jwtsession.spring.security.UserDetailsReauth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextRepository;

/** The bridge's auto-configuration without a server: which beans exist and what they do. */
class JwtSessionSecurityAutoConfigurationTest {

  static final String[] SECRETS = {
    "jwt-session.access.secret=test-access-secret-that-is-32-bytes-long!",
    "jwt-session.refresh.secret=test-refresh-secret-that-is-32-bytes-long"
  };

  final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JwtSessionAutoConfiguration.class,
                  JwtSessionServletAutoConfiguration.class,
                  JwtSessionSecurityAutoConfiguration.class))
          .withPropertyValues(SECRETS);

  static final UsernamePasswordAuthenticationToken ALICE =
      UsernamePasswordAuthenticationToken.authenticated(
          "alice", null, AuthorityUtils.createAuthorityList("ROLE_admin", "FACTOR_PASSWORD"));

  @Test
  void theBridgeBeansExistWithSpringSecurityAndTheConfigurerIsAPrototype() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(JwtSessionSecurityContextRepository.class)
              .hasSingleBean(AuthenticationPayloads.class)
              .hasSingleBean(ClaimAuthorities.class)
              .doesNotHaveBean(SecurityFilterChain.class);
          assertThat(context.getBean(JwtSessionConfigurer.class))
              .isNotSameAs(context.getBean(JwtSessionConfigurer.class));
        });
  }

  @Test
  void noBridgeBeanExistsWhenSpringSecurityWebIsHidden() {
    runner
        .withClassLoader(new FilteredClassLoader(SecurityContextRepository.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(JwtSession.class)
                    .doesNotHaveBean(JwtSessionSecurityContextRepository.class)
                    .doesNotHaveBean(AuthenticationPayloads.class)
                    .doesNotHaveBean(UserDetailsReauth.class)
                    .doesNotHaveBean(JwtSessionConfigurer.class));
  }

  @Test
  void aUserDetailsServiceGivesTheReauthThatReloadsTheUserAndASubOnlyRefreshPayload() {
    runner
        .withUserConfiguration(Users.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(UserDetailsReauth.class);
              Payloads payloads = context.getBean(AuthenticationPayloads.class).apply(ALICE);
              assertThat(payloads.access())
                  .isEqualTo(Map.of("sub", "alice", "roles", List.of("admin")));
              assertThat(payloads.refresh()).isEqualTo(Map.of("sub", "alice"));
            });
  }

  @Test
  void withoutAUserDetailsServiceTheRefreshPayloadCarriesTheRolesTheDefaultReauthReissues() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(UserDetailsReauth.class);
          Payloads payloads = context.getBean(AuthenticationPayloads.class).apply(ALICE);
          assertThat(payloads.refresh())
              .isEqualTo(Map.of("sub", "alice", "roles", List.of("admin")));
        });
  }

  @Test
  void aUserReauthBeanWinsOverTheUserDetailsReauth() {
    runner
        .withUserConfiguration(Users.class)
        .withBean("myReauth", Reauth.class, () -> refresh -> Optional.empty())
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(UserDetailsReauth.class);
              assertThat(context.getBeanNamesForType(Reauth.class)).containsExactly("myReauth");
            });
  }

  @Test
  void aUserAuthenticationPayloadsBeanWins() {
    AuthenticationPayloads mine = a -> Payloads.accessOnly(Map.of("sub", a.getName()));
    runner
        .withBean(AuthenticationPayloads.class, () -> mine)
        .run(context -> assertThat(context.getBean(AuthenticationPayloads.class)).isSameAs(mine));
  }

  @Test
  void theSecurityPropertiesSetTheClaimAndThePrefix() {
    runner
        .withPropertyValues(
            "jwt-session.security.authorities-claim=groups",
            "jwt-session.security.authority-prefix=")
        .run(
            context -> {
              ClaimAuthorities authorities = context.getBean(ClaimAuthorities.class);
              assertThat(authorities.claim()).isEqualTo("groups");
              assertThat(authorities.prefix()).isEmpty();
            });
  }

  @Test
  void anAuthorityPrefixWithWhitespaceFailsStartupNamingTheProperty() {
    assertThat(report(runner.withPropertyValues("jwt-session.security.authority-prefix=ROLE _")))
        .contains("jwt-session.security.authority-prefix: contains whitespace")
        .contains("e.g. ROLE_");
  }

  @Test
  void aChainUsingTheConfigurerWithoutTheJwtSessionFilterFailsStartupNamingTheFilter() {
    WebApplicationContextRunner withoutFilter =
        new WebApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    JwtSessionAutoConfiguration.class, JwtSessionSecurityAutoConfiguration.class))
            .withPropertyValues(SECRETS)
            .withUserConfiguration(ChainWithoutFilter.class);

    assertThat(report(withoutFilter))
        .contains("jwt-session.filter: a SecurityFilterChain uses JwtSessionConfigurer")
        .contains("FilterRegistrationBean<JwtSessionFilter>");
  }

  static String report(WebApplicationContextRunner failing) {
    String[] text = new String[1];
    failing.run(
        context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis =
              new JwtSessionFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          text[0] = analysis.getDescription() + "\n" + analysis.getAction();
        });
    assertThat(text[0]).doesNotContain("test-access-secret").doesNotContain("test-refresh-secret");
    return text[0];
  }

  @Configuration(proxyBeanMethods = false)
  static class Users {
    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}alice-password").roles("admin").build());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableWebSecurity
  static class ChainWithoutFilter {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults()).build();
    }
  }
}
