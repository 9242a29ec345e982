package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSessionConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link JwtSessionConfigException} into Spring Boot's "APPLICATION FAILED TO START"
 * report: every problem on its own line, named by its {@code jwt-session.*} property (e.g. {@code
 * access.maxAge} becomes {@code jwt-session.access.max-age}) and followed by its fix. The problems
 * never hold a secret, so neither does the report.
 */
public class JwtSessionFailureAnalyzer extends AbstractFailureAnalyzer<JwtSessionConfigException> {

  /** Used by Spring Boot through {@code META-INF/spring.factories}. */
  public JwtSessionFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, JwtSessionConfigException cause) {
    int count = cause.problems().size();
    StringBuilder description =
        new StringBuilder("jwt-session is misconfigured (")
            .append(count)
            .append(count == 1 ? " problem" : " problems")
            .append("; each line names the property, what is wrong and how to fix it):\n");
    for (String problem : cause.problems()) {
      description.append("\n    ").append(PropertyNames.translate(problem));
    }
    String action =
        "Fix each jwt-session property listed above as its line says, in application.properties or"
            + " application.yaml or as an environment variable (jwt-session.access.secret is"
            + " JWT_SESSION_ACCESS_SECRET). Keep secrets out of the files you commit.";
    return new FailureAnalysis(description.toString(), action, cause);
  }
}
