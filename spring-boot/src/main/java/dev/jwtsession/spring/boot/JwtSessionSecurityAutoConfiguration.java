package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Reauth;
import dev.jwtsession.spring.security.AuthenticationPayloads;
import dev.jwtsession.spring.security.ClaimAuthorities;
import dev.jwtsession.spring.security.JwtSessionConfigurer;
import dev.jwtsession.spring.security.JwtSessionSecurityContextRepository;
import dev.jwtsession.spring.security.UserDetailsReauth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * The Spring Security bridge's beans, when Spring Security and {@code jwt-session-spring-security}
 * are on the classpath: the {@link JwtSessionSecurityContextRepository}, the {@link
 * JwtSessionConfigurer} (prototype), the {@link AuthenticationPayloads} and, when there is one
 * {@link UserDetailsService} and no {@link Reauth} bean, a {@link UserDetailsReauth}. It adds no
 * {@code SecurityFilterChain}: the application's chain opts in with {@code
 * http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults())}.
 *
 * <p>Without a {@code UserDetailsService}, the starter's default reauth re-issues the refresh
 * token's claims, so the default payloads then put the roles into the refresh token too.
 */
@AutoConfiguration(
    before = JwtSessionAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({
  JwtSession.class,
  SecurityContextRepository.class,
  JwtSessionSecurityContextRepository.class
})
@EnableConfigurationProperties(JwtSessionSecurityProperties.class)
public class JwtSessionSecurityAutoConfiguration {

  /** Used by Spring Boot. */
  public JwtSessionSecurityAutoConfiguration() {}

  /** The roles claim and prefix of {@code jwt-session.security.*}. */
  @Bean
  @ConditionalOnMissingBean
  public ClaimAuthorities jwtSessionClaimAuthorities(JwtSessionSecurityProperties properties) {
    try {
      return ClaimAuthorities.of(properties.getAuthoritiesClaim(), properties.getAuthorityPrefix());
    } catch (JwtSessionConfigException e) {
      throw new JwtSessionConfigException(
          e.problems().stream()
              .map(
                  p ->
                      p.replace(
                              "security.authoritiesClaim:",
                              "jwt-session.security.authorities-claim:")
                          .replace(
                              "security.authorityPrefix:",
                              "jwt-session.security.authority-prefix:"))
              .toList());
    }
  }

  /** The repository the configurer installs. */
  @Bean
  @ConditionalOnMissingBean
  public JwtSessionSecurityContextRepository jwtSessionSecurityContextRepository(
      ClaimAuthorities authorities, AuthenticationPayloads payloads) {
    return new JwtSessionSecurityContextRepository(authorities, payloads);
  }

  /**
   * With one {@code UserDetailsService} the refresh token holds the sub only (reauth reloads the
   * user); without, it carries the roles too, which the starter's default reauth re-issues.
   */
  @Bean
  @ConditionalOnMissingBean
  public AuthenticationPayloads jwtSessionAuthenticationPayloads(
      ClaimAuthorities authorities, ObjectProvider<UserDetailsService> users) {
    return users.getIfUnique() != null
        ? AuthenticationPayloads.standard(authorities)
        : AuthenticationPayloads.withRolesInRefresh(authorities);
  }

  /** With one {@code UserDetailsService} and no {@code Reauth} bean: reload the user at renewal. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnSingleCandidate(UserDetailsService.class)
  @ConditionalOnProperty(
      prefix = "jwt-session.reauth",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class FromUserDetails {

    @Bean
    @ConditionalOnMissingBean(Reauth.class)
    UserDetailsReauth jwtSessionUserDetailsReauth(
        UserDetailsService users, AuthenticationPayloads payloads) {
      return new UserDetailsReauth(users, payloads);
    }
  }

  /** The configurer, one per chain. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HttpSecurity.class)
  static class Configurer {

    @Bean
    @Scope("prototype")
    @ConditionalOnMissingBean
    JwtSessionConfigurer jwtSessionConfigurer(JwtSessionSecurityContextRepository repository) {
      return JwtSessionConfigurer.jwtSession(repository);
    }
  }
}
