package dev.jwtsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

/**
 * Guards the Lettuce version runs (see the surefire executions in this module's pom): each runs the
 * store contract on the Lettuce version it names, not on whatever the classpath happens to hold.
 */
class LettuceVersionTest {

  @Test
  void theTestsRunOnTheLettuceVersionTheirExecutionNames() {
    String expected = System.getProperty("expected.lettuce.version");

    assertThat(expected).as("set by the surefire execution").isNotBlank();
    assertThat(RedisClient.class.getPackage().getImplementationVersion()).startsWith(expected);
  }
}
