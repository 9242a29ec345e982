package dev.jwtsession;

import java.util.List;

/**
 * A configuration mistake found by a builder. The message lists every problem found, one per line,
 * each as {@code <setting>: <what is wrong>. <how to fix>.}
 */
public final class JwtSessionConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Reports problems found by any builder of jwt-session or of an extension (store, adapter), so
   * that every configuration mistake surfaces as this one type.
   *
   * @param problems each in the form {@code <setting>: <what is wrong>. <how to fix>.}; not empty
   */
  public JwtSessionConfigException(List<String> problems) {
    super(message(requireProblems(problems)));
    this.problems = List.copyOf(problems);
  }

  /** Each problem found, in the form {@code <setting>: <what is wrong>. <how to fix>.} */
  public List<String> problems() {
    return problems;
  }

  private static List<String> requireProblems(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a JwtSessionConfigException needs at least one problem");
    }
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
