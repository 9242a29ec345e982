package dev.jwtsession.demo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed {@code Set-Cookie} header: name, value and attributes (names lower-cased; flag
 * attributes such as {@code HttpOnly} map to the empty string).
 */
record SetCookieLine(String name, String value, Map<String, String> attributes) {

  static SetCookieLine parse(String header) {
    String[] parts = header.split(";");
    int equals = parts[0].indexOf('=');
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      String key = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
      attributes.put(key, eq < 0 ? "" : part.substring(eq + 1));
    }
    return new SetCookieLine(
        parts[0].substring(0, equals).trim(), parts[0].substring(equals + 1).trim(), attributes);
  }

  boolean has(String attribute) {
    return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
  }

  String attribute(String name) {
    return attributes.get(name.toLowerCase(Locale.ROOT));
  }

  /** Whether this header tells the browser to delete the cookie. */
  boolean clears() {
    return "0".equals(attribute("Max-Age"));
  }
}
