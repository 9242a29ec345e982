package dev.jwtsession.spring.security;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Reauth;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

/**
 * The Spring Boot application the HTTP tests run: jwt-session wired by hand (the engine on a {@link
 * MutableClock}, the filter at order -101 for REQUEST, ASYNC and ERROR), an in-memory {@code
 * UserDetailsService} (alice admin, bob user), and one {@code SecurityFilterChain} whose shape the
 * properties choose: {@code test.csrf} {@code cookie} (setup A) or {@code off} (setup B), {@code
 * test.with} {@code first} or {@code last}, {@code test.user-session-management}, and {@code
 * test.refresh-path} / {@code test.rotation} / {@code test.bearer} for the engine.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(BridgeTestControllers.class)
public class BridgeTestApp {

  static final String ACCESS = "jwt_session_access";
  static final String REFRESH = "jwt_session_refresh";
  static final Duration ACCESS_LIFETIME = Duration.ofMinutes(1);

  /** The clock every test context's engine reads. */
  static final MutableClock CLOCK = MutableClock.atFixedStart();

  /** HTTP sessions created, over all contexts: must stay 0. */
  static final AtomicInteger HTTP_SESSIONS = new AtomicInteger();

  /** Authentication attempts the login filter made. */
  static final AtomicInteger LOGIN_ATTEMPTS = new AtomicInteger();

  /** Makes the reauth throw, as a broken user store would. */
  static final AtomicBoolean REAUTH_THROWS = new AtomicBoolean();

  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}alice-password").roles("admin").build(),
        User.withUsername("bob").password("{noop}bob-password").roles("user").build());
  }

  @Bean
  JwtSessionSecurityContextRepository jwtSessionSecurityContextRepository() {
    return new JwtSessionSecurityContextRepository();
  }

  @Bean
  JwtSession jwtSession(
      InMemoryUserDetailsManager users,
      @Value("${test.refresh-path:/}") String refreshPath,
      @Value("${test.rotation:false}") boolean rotation,
      @Value("${test.bearer:false}") boolean bearer) {
    Reauth fromUsers =
        new UserDetailsReauth(users, AuthenticationPayloads.standard(ClaimAuthorities.defaults()));
    Reauth reauth =
        refresh -> {
          if (REAUTH_THROWS.get()) {
            throw new IllegalStateException("user store down");
          }
          return fromUsers.reauth(refresh);
        };
    JwtSession.Builder builder =
        JwtSession.builder()
            .clock(CLOCK)
            .access(
                t ->
                    t.cookieName(ACCESS)
                        .maxAge(ACCESS_LIFETIME)
                        .secret("access-secret-for-tests-only-0123456789"))
            .refresh(
                t ->
                    t.cookieName(REFRESH)
                        .maxAge(Duration.ofDays(7))
                        .path(refreshPath)
                        .secret("refresh-secret-for-tests-only-0123456789"))
            .reauth(reauth);
    if (rotation) {
      builder.rotation(r -> r.reuseGrace(Duration.ZERO));
    }
    if (bearer) {
      builder.bearer(b -> b.enabled(true));
    }
    return builder.build();
  }

  @Bean
  FilterRegistrationBean<JwtSessionFilter> jwtSessionFilter(JwtSession engine) {
    FilterRegistrationBean<JwtSessionFilter> registration =
        new FilterRegistrationBean<>(new JwtSessionFilter(engine));
    registration.setOrder(-101);
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  HttpSessionListener countingSessions() {
    return new HttpSessionListener() {
      @Override
      public void sessionCreated(HttpSessionEvent event) {
        HTTP_SESSIONS.incrementAndGet();
      }
    };
  }

  /** Spring's password check, counting how often the login filter asks it. */
  @Bean
  AuthenticationProvider countingProvider(InMemoryUserDetailsManager users) {
    DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication)
          throws AuthenticationException {
        LOGIN_ATTEMPTS.incrementAndGet();
        return dao.authenticate(authentication);
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return dao.supports(authentication);
      }
    };
  }

  @Bean
  SecurityFilterChain chain(
      HttpSecurity http,
      @Value("${test.csrf:cookie}") String csrf,
      @Value("${test.with:first}") String with,
      @Value("${test.user-session-management:false}") boolean userSessionManagement)
      throws Exception {
    if (with.equals("first")) {
      http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults());
    }
    if (userSessionManagement) {
      http.sessionManagement(s -> s.enableSessionUrlRewriting(false));
    }
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/admin")
                    .hasRole("admin")
                    .requestMatchers("/public", "/csrf", "/login", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(Customizer.withDefaults())
        .httpBasic(Customizer.withDefaults())
        .logout(Customizer.withDefaults());
    if (csrf.equals("cookie")) {
      http.csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()));
    } else {
      http.csrf(c -> c.disable());
    }
    if (with.equals("last")) {
      http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults());
    }
    return http.build();
  }
}
