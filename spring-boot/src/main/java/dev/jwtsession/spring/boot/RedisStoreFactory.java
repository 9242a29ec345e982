package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.redis.RedisRefreshTokenStore;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link RedisRefreshTokenStore} from {@code jwt-session.redis.*}, else from Spring's
 * {@code spring.data.redis.*} property names (the same on Boot 3.5 and 4.0; Boot's connection
 * classes moved between them, so they are not used). Loaded only when {@code jwt-session-redis} is
 * on the classpath.
 */
final class RedisStoreFactory {

  private RedisStoreFactory() {}

  static RedisRefreshTokenStore create(JwtSessionProperties properties, Environment environment) {
    List<String> problems = new ArrayList<>(EngineFactory.propertyProblems(properties));
    RedisURI uri = uri(properties, environment, problems);
    if (!problems.isEmpty()) {
      throw new JwtSessionConfigException(problems);
    }
    try {
      return RedisRefreshTokenStore.builder()
          .uri(uri)
          .commandTimeout(properties.getRedis().getCommandTimeout())
          .build();
    } catch (JwtSessionConfigException e) {
      throw new JwtSessionConfigException(
          e.problems().stream().map(PropertyNames::translate).toList());
    }
  }

  /** The Redis to use, or {@code null} with a problem recorded; messages never quote a URL. */
  static RedisURI uri(
      JwtSessionProperties properties, Environment environment, List<String> problems) {
    String own = properties.getRedis().getUrl();
    if (own != null && !own.isBlank()) {
      return parse(own, "jwt-session.redis.url", problems);
    }
    String spring = environment.getProperty("spring.data.redis.url");
    if (spring != null && !spring.isBlank()) {
      return parse(spring, "spring.data.redis.url", problems);
    }
    String host = environment.getProperty("spring.data.redis.host");
    if (host != null && !host.isBlank()) {
      RedisURI.Builder uri =
          RedisURI.builder()
              .withHost(host)
              .withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
              .withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0))
              .withSsl(
                  environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false));
      String password = environment.getProperty("spring.data.redis.password");
      if (password != null && !password.isEmpty()) {
        String username = environment.getProperty("spring.data.redis.username");
        if (username != null && !username.isEmpty()) {
          uri.withAuthentication(username, password.toCharArray());
        } else {
          uri.withPassword(password.toCharArray());
        }
      }
      return uri.build();
    }
    problems.add(
        "jwt-session.redis.url: is missing while jwt-session.rotation.store=redis. Set it (e.g."
            + " redis://localhost:6379), or Spring's spring.data.redis.url, or"
            + " spring.data.redis.host and spring.data.redis.port");
    return null;
  }

  private static RedisURI parse(String url, String property, List<String> problems) {
    try {
      return RedisURI.create(url);
    } catch (RuntimeException e) {
      // Never the URL itself: it may hold a password.
      problems.add(
          property
              + ": is not a Redis URL. Use redis://[user:password@]host:port[/database] or"
              + " rediss:// for TLS");
      return null;
    }
  }
}
