package dev.jwtsession.spring.boot.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.spring.boot.JwtSessionAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * The tests of {@code jwt-session-spring-boot} that this module runs (from its test jar) really run
 * on Spring Boot 3.5.7 and Spring Framework 6.2, against the jar built for Boot 4.0.
 */
class Boot3VersionTest {

  @Test
  void theClasspathIsSpringBoot357WithSpringFramework62() {
    assertThat(SpringBootVersion.getVersion()).isEqualTo("3.5.7");
    assertThat(SpringVersion.getVersion()).startsWith("6.2.");
  }

  @Test
  void theAutoConfigurationComesFromTheSameJar() {
    String location =
        JwtSessionAutoConfiguration.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .toString();
    assertThat(location).contains("spring-boot");
  }
}
