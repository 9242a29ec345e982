package dev.jwtsession;

import java.util.List;

/**
 * A configuration mistake found by a builder. The message lists every problem found, one per line,
 * each as {@code <setting>: <what is wrong>. <how to fix>.}
 */
public final class JwtSessionConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  JwtSessionConfigException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem found, in the form {@code <setting>: <what is wrong>. <how to fix>.} */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    StringBuilder text =
        new StringBuilder("jwt-session is misconfigured (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
