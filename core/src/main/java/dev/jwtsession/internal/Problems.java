package dev.jwtsession.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects configuration problems while a builder runs, so {@code build()} reports all of them at
 * once. Also remembers which settings were set, because setting one twice is a mistake.
 */
public final class Problems {

  private final List<String> problems = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();

  /** Records {@code <setting>: <what>. <fix>.} */
  public void add(String setting, String what, String fix) {
    problems.add(setting + ": " + what + ". " + fix + ".");
  }

  /** Records that {@code setting} was set; a second time is a problem. */
  public void once(String setting) {
    if (!seen.add(setting)) {
      add(setting, "is set more than once", "Set it once; the second value would silently win");
    }
  }

  /** Whether {@code setting} was set. */
  public boolean wasSet(String setting) {
    return seen.contains(setting);
  }

  /** Records a problem already worded as {@code <setting>: <what>. <fix>.} */
  public void addRaw(String problem) {
    problems.add(problem);
  }

  /** The problems recorded, in order. */
  public List<String> list() {
    return List.copyOf(problems);
  }

  /** Whether no problem was recorded. */
  public boolean isEmpty() {
    return problems.isEmpty();
  }
}
