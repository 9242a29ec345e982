package dev.jwtsession.examples.springboot;

import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one jwt-session bean the demo adds to its properties: who may renew. */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

  /** Used by Spring. */
  public SessionConfiguration() {}

  /** Renews a session with the refresh token's claims as long as the user still exists. */
  @Bean
  public Reauth reauth(Users users) {
    return refresh ->
        users
            .find(refresh.subject().orElse(null))
            .map(user -> Payloads.of(refresh.userClaims(), refresh.userClaims()));
  }
}
