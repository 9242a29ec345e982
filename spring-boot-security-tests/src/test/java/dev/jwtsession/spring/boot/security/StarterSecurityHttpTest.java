package dev.jwtsession.spring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.spring.boot.JwtSessionBuilderCustomizer;
import dev.jwtsession.spring.security.JwtSessionConfigurer;
import dev.jwtsession.testkit.Browser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The starter from properties alone plus one {@code .with(..)} line, with no {@code
 * UserDetailsService} (an {@code AuthenticationProvider} checks passwords): the starter's default
 * reauth re-issues the refresh token's claims, so the roles must survive the renewal.
 */
@SpringBootTest(
    classes = StarterSecurityHttpTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "jwt-session.access.secret=test-access-secret-that-is-32-bytes-long!",
      "jwt-session.refresh.secret=test-refresh-secret-that-is-32-bytes-long"
    })
class StarterSecurityHttpTest {

  static final MutableClock CLOCK = MutableClock.atFixedStart();

  @LocalServerPort int port;
  @Autowired JwtSession engine;

  @Test
  void rolesSurviveTheRenewalWhenTheDefaultReauthReissuesTheRefreshClaims() throws Exception {
    Browser alice = new Browser("http://127.0.0.1:" + port);
    HttpResponse<String> login =
        alice.send(
            alice
                .request("/login")
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-password"))
                .build());
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(alice.get("/admin").body()).isEqualTo("admin page, renewed=false");

    CLOCK.advance(engine.accessSettings().maxAge().plusSeconds(30));
    HttpResponse<String> renewed = alice.get("/admin");

    assertThat(renewed.statusCode()).isEqualTo(200);
    assertThat(renewed.body()).isEqualTo("admin page, renewed=true");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(AdminPage.class)
  static class App {

    @Bean
    JwtSessionBuilderCustomizer testClock() {
      return builder -> builder.clock(CLOCK);
    }

    /** Passwords without a UserDetailsService. */
    @Bean
    AuthenticationProvider passwords() {
      return new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication authentication) {
          if ("alice".equals(authentication.getName())
              && "alice-password".equals(authentication.getCredentials())) {
            return UsernamePasswordAuthenticationToken.authenticated(
                "alice", null, AuthorityUtils.createAuthorityList("ROLE_admin"));
          }
          throw new BadCredentialsException("Bad credentials");
        }

        @Override
        public boolean supports(Class<?> authentication) {
          return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
      };
    }

    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(
              a -> a.requestMatchers("/admin").hasRole("admin").anyRequest().permitAll())
          .formLogin(Customizer.withDefaults())
          .csrf(c -> c.disable())
          .with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults())
          .build();
    }
  }

  @RestController
  static class AdminPage {
    @GetMapping("/admin")
    String admin() {
      return "admin page, renewed=" + Session.current().reauthenticated();
    }
  }
}
