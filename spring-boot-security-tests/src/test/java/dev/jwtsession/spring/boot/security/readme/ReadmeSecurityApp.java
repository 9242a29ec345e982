package dev.jwtsession.spring.boot.security.readme;

// tag::imports[]
import dev.jwtsession.spring.security.JwtSessionConfigurer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
// end::imports[]
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's "Spring Security" code, run by {@link ReadmeSecurityTest}: the starter from the two
 * secret properties, one {@code SecurityFilterChain} with the {@code .with(..)} line (CSRF setup
 * A), and an in-memory {@code UserDetailsService} that the renewal reloads users from.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReadmeSecurityApp {

  // tag::chain[]
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults())
        .authorizeHttpRequests(
            a -> a.requestMatchers("/admin/**").hasRole("admin").anyRequest().permitAll())
        .formLogin(Customizer.withDefaults())
        .logout(Customizer.withDefaults())
        .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()))
        .build();
  }

  // end::chain[]

  // tag::users[]
  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}alice-password").roles("admin").build(),
        User.withUsername("bob").password("{noop}bob-password").roles("user").build());
  }

  // end::users[]

  /** Setup B: Spring's CSRF off, jwt-session's origin check alone. */
  static SecurityFilterChain setupB(HttpSecurity http) throws Exception {
    // tag::setupB[]
    return http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults())
        .csrf(c -> c.disable())
        .build();
    // end::setupB[]
  }

  /** A page for admins. */
  @RestController
  static class Admin {
    @GetMapping("/admin/page")
    String page() {
      return "admin page";
    }
  }
}
