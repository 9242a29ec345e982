package dev.jwtsession.spring.boot.readme;

import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.Session;
import dev.jwtsession.SessionListener;
import dev.jwtsession.spring.boot.JwtSessionBuilderCustomizer;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's Spring Boot code: the tagged regions appear verbatim there (ReadmeSpringBootTest).
 */
final class ReadmeSpringBootApp {

  private ReadmeSpringBootApp() {}

  /** Who may stay logged in; stands for the application's user store. */
  static final class Accounts {
    private final Set<String> active = Set.of("alice", "bob");

    boolean isActive(String user) {
      return active.contains(user);
    }
  }

  // tag::controller[]
  @RestController
  static class AccountController {

    @PostMapping("/login")
    ResponseEntity<Void> login(Session session, @RequestParam("user") String user) {
      // check the password first
      session.login(Payloads.of(Map.of("sub", user, "role", "user"), Map.of("sub", user)));
      return ResponseEntity.noContent().build();
    }

    @GetMapping("/hello")
    String hello(Session session) {
      return session.subject().map(user -> "Hello " + user).orElse("Hello stranger");
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(Session session) {
      session.logout();
      return ResponseEntity.noContent().build();
    }
  }

  // end::controller[]

  @Configuration(proxyBeanMethods = false)
  static class Beans {

    @Bean
    Accounts accounts() {
      return new Accounts();
    }

    // tag::beans[]
    @Bean // replaces the default reauth (which re-issues the refresh token's claims)
    Reauth reauth(Accounts accounts) {
      return refresh ->
          refresh
              .subject()
              .filter(accounts::isActive)
              .map(user -> Payloads.of(Map.of("sub", user, "role", "user"), Map.of("sub", user)));
    }

    @Bean // joins the default LoggingListener; several listeners run in @Order
    SessionListener auditListener() {
      return new SessionListener() {
        @Override
        public void reuseDetected(String familyId) {
          // alert: a refresh token was replayed
        }
      };
    }

    @Bean // anything the properties leave unset, applied last
    JwtSessionBuilderCustomizer clock() {
      return builder -> builder.clock(Clock.systemUTC());
    }
    // end::beans[]
  }
}
