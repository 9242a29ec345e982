package dev.jwtsession.examples.springboot;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Runs the demo: {@code java -jar
 * examples/spring-boot-demo/target/jwt-session-spring-boot-demo.jar} (port {@code PORT}, default
 * 8080). Secrets come from {@code JWT_SESSION_ACCESS_SECRET} and {@code
 * JWT_SESSION_REFRESH_SECRET}; when one is unset a random one is used, with a warning, so sessions
 * do not survive a restart.
 */
@SpringBootApplication
public class DemoApplication {

  private static final Logger LOG = LoggerFactory.getLogger(DemoApplication.class);

  /** Used by Spring. */
  public DemoApplication() {}

  /** Starts the demo. */
  public static void main(String[] args) {
    application(System.getenv()).run(args);
  }

  /**
   * The application, with random secrets as defaults for the secret variables {@code env} lacks (a
   * real environment variable always wins over a default property).
   */
  public static SpringApplication application(Map<String, String> env) {
    SpringApplication application = new SpringApplication(DemoApplication.class);
    Map<String, Object> defaults = new HashMap<>();
    SecureRandom random = new SecureRandom();
    for (String variable :
        new String[] {"JWT_SESSION_ACCESS_SECRET", "JWT_SESSION_REFRESH_SECRET"}) {
      String value = env.get(variable);
      if (value == null || value.isEmpty()) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        defaults.put(variable, Base64.getEncoder().encodeToString(secret));
        LOG.warn(
            "{} is not set: using a random secret, so sessions end when the demo restarts",
            variable);
      }
    }
    application.setDefaultProperties(defaults);
    return application;
  }
}
