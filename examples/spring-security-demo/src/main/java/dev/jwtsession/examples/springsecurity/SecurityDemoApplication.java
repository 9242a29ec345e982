package dev.jwtsession.examples.springsecurity;

import dev.jwtsession.spring.security.JwtSessionConfigurer;
import dev.jwtsession.spring.security.JwtSessionPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs the demo: {@code java -jar
 * examples/spring-security-demo/target/jwt-session-spring-security-demo.jar} (users {@code
 * alice}/{@code alice-password}, role admin, and {@code bob}/{@code bob-password}, role user).
 * Spring's form login at {@code POST /login}, logout at {@code POST /logout}, {@code GET /admin}
 * for admins, {@code GET /api/admin/report} behind {@code @PreAuthorize}; CSRF setup A (Spring's
 * token in a cookie plus jwt-session's origin check).
 */
@SpringBootApplication
@EnableMethodSecurity
public class SecurityDemoApplication {

  /** Used by Spring. */
  public SecurityDemoApplication() {}

  /** Starts the demo. */
  public static void main(String[] args) {
    application(System.getenv()).run(args);
  }

  /** The application, with random secrets for the secret variables {@code env} lacks. */
  public static SpringApplication application(Map<String, String> env) {
    SpringApplication application = new SpringApplication(SecurityDemoApplication.class);
    Map<String, Object> defaults = new HashMap<>();
    SecureRandom random = new SecureRandom();
    for (String variable :
        new String[] {"JWT_SESSION_ACCESS_SECRET", "JWT_SESSION_REFRESH_SECRET"}) {
      if (env.getOrDefault(variable, "").isEmpty()) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        defaults.put(variable, Base64.getEncoder().encodeToString(secret));
        System.getLogger(SecurityDemoApplication.class.getName())
            .log(System.Logger.Level.WARNING, variable + " is not set: using a random secret");
      }
    }
    application.setDefaultProperties(defaults);
    return application;
  }

  /** The one chain: jwt-session as the security context, form login, logout, roles. */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults())
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/admin")
                    .hasRole("admin")
                    .requestMatchers("/", "/login", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(Customizer.withDefaults())
        .logout(Customizer.withDefaults())
        .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()))
        .build();
  }

  /** The users; each renewal reloads them, so a changed role arrives with the next token. */
  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}alice-password").roles("admin").build(),
        User.withUsername("bob").password("{noop}bob-password").roles("user").build());
  }

  /** A report only admins may read, guarded by method security. */
  @Service
  public static class Reports {
    /** Used by Spring. */
    public Reports() {}

    /** The report. */
    @PreAuthorize("hasRole('admin')")
    public String report() {
      return "admin report";
    }
  }

  /** The pages. */
  @RestController
  public static class Pages {
    private final Reports reports;

    /** Pages reading the report from {@code reports}. */
    public Pages(Reports reports) {
      this.reports = reports;
    }

    /** Who is logged in. */
    @GetMapping("/")
    public String home(@AuthenticationPrincipal JwtSessionPrincipal user) {
      return user == null ? "anonymous: log in at /login" : "hello " + user.subject();
    }

    /** Admins only. */
    @GetMapping("/admin")
    public String admin(@AuthenticationPrincipal JwtSessionPrincipal user) {
      return "admin page for " + user.subject();
    }

    /** Admins only, by {@code @PreAuthorize}. */
    @GetMapping("/api/admin/report")
    public String report() {
      return reports.report();
    }
  }
}
