package dev.jwtsession.spring.boot;

import java.util.Locale;
import java.util.Set;

/**
 * Translates the setting names of jwt-session's builders ({@code access.maxAge}) into the {@code
 * jwt-session.*} properties that set them ({@code jwt-session.access.max-age}).
 */
final class PropertyNames {

  static final String PREFIX = "jwt-session.";

  private static final Set<String> ROOTS =
      Set.of(
          "access",
          "refresh",
          "rotation",
          "redis",
          "csrf",
          "reauth",
          "filter",
          "jwks",
          "leeway",
          "issuer",
          "audience",
          "accessCacheSize",
          "maxCookieHeaderLength");

  private PropertyNames() {}

  /** The property of a builder setting, or {@code null} when no property sets it. */
  static String property(String setting) {
    int dot = setting.indexOf('.');
    String root = dot < 0 ? setting : setting.substring(0, dot);
    if (!ROOTS.contains(root)) {
      return null;
    }
    String mapped =
        switch (setting) {
          case "access.keys" -> "access.jwk-set";
          case "refresh.keys" -> "refresh.jwk-set";
          case "redis.uri" -> "redis.url";
          case "jwks" -> "jwks.enabled";
          default -> setting;
        };
    return PREFIX + kebab(mapped);
  }

  /**
   * A problem ({@code <setting>: <what>. <fix>.}) with its setting replaced by the property name;
   * problems already named by property, or about settings no property sets, stay as they are.
   */
  static String translate(String problem) {
    if (problem.startsWith(PREFIX)) {
      return problem;
    }
    int colon = problem.indexOf(": ");
    if (colon < 0) {
      return problem;
    }
    String property = property(problem.substring(0, colon));
    return property == null ? problem : property + problem.substring(colon);
  }

  /** The setting a problem line is about: the text before its first {@code ": "}. */
  static String settingOf(String problem) {
    int colon = problem.indexOf(": ");
    return colon < 0 ? problem : problem.substring(0, colon);
  }

  private static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
