package dev.jwtsession.demo;

/** Escapes text for HTML element content and quoted attribute values. */
final class Html {

  private Html() {}

  /**
   * {@code text} with {@code & < > " '} replaced by character references; {@code null} as empty.
   */
  static String escape(Object text) {
    if (text == null) {
      return "";
    }
    String value = text.toString();
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
