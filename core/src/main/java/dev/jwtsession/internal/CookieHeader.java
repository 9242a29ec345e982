package dev.jwtsession.internal;

/**
 * Finds the two session cookies in a {@code Cookie} request header, without building a map of every
 * cookie (the header is scanned once, in linear time, and only the two values are copied).
 *
 * <p>Hand-written rather than taken from a framework because core must not depend on one and every
 * adapter must apply the same rules, which are (RFC 6265 §4.2 and §5.4, leniently):
 *
 * <ul>
 *   <li>pairs are separated by {@code ;}; blanks and tabs around names and values are ignored;
 *   <li>a pair without {@code =}, and an empty pair ({@code ;;}), is skipped;
 *   <li>names match exactly, case-sensitively;
 *   <li>one pair of double quotes around a value is removed ({@code "v"} is {@code v});
 *   <li>a session cookie name that appears more than once with different values is ambiguous
 *       (cookie tossing: another site or path planted a second cookie of that name) and is reported
 *       as such, never resolved by picking one; the same value twice is not ambiguous.
 * </ul>
 */
public final class CookieHeader {

  /**
   * Where the two values are in the header. Values are copied out only on request, so a request
   * whose access token is served from the cache copies no token at all.
   */
  public static final class Found {
    private final String header;
    int accessStart = -1;
    int accessEnd = -1;
    int refreshStart = -1;
    int refreshEnd = -1;
    boolean accessAmbiguous;
    boolean refreshAmbiguous;

    Found(String header) {
      this.header = header;
    }

    /** The header scanned. */
    public String header() {
      return header;
    }

    /** Whether the access cookie is present. */
    public boolean hasAccess() {
      return accessStart >= 0;
    }

    /** Whether the refresh cookie is present. */
    public boolean hasRefresh() {
      return refreshStart >= 0;
    }

    /** Where the access value starts in {@link #header()}. */
    public int accessStart() {
      return accessStart;
    }

    /** Where the access value ends in {@link #header()}. */
    public int accessEnd() {
      return accessEnd;
    }

    /** The access value, copied; only when {@link #hasAccess()}. */
    public String access() {
      return header.substring(accessStart, accessEnd);
    }

    /** The refresh value, copied; only when {@link #hasRefresh()}. */
    public String refresh() {
      return header.substring(refreshStart, refreshEnd);
    }

    /** Whether the access cookie came twice with different values. */
    public boolean accessAmbiguous() {
      return accessAmbiguous;
    }

    /** Whether the refresh cookie came twice with different values. */
    public boolean refreshAmbiguous() {
      return refreshAmbiguous;
    }
  }

  private CookieHeader() {}

  /**
   * Scans {@code header} for the two cookie names.
   *
   * @param header a {@code Cookie} header value (several headers joined with {@code "; "})
   */
  public static Found find(String header, String accessName, String refreshName) {
    Found found = new Found(header);
    int length = header.length();
    int position = 0;
    while (position < length) {
      int end = header.indexOf(';', position);
      if (end < 0) {
        end = length;
      }
      int start = skipBlanks(header, position, end);
      int equals = indexOf(header, '=', start, end);
      if (equals >= 0) {
        int nameEnd = trimBlanksBefore(header, start, equals);
        int valueStart = skipBlanks(header, equals + 1, end);
        int valueEnd = trimBlanksBefore(header, valueStart, end);
        if (valueEnd - valueStart >= 2
            && header.charAt(valueStart) == '"'
            && header.charAt(valueEnd - 1) == '"') {
          valueStart++;
          valueEnd--;
        }
        int nameLength = nameEnd - start;
        if (matches(header, start, nameLength, accessName)) {
          if (found.accessStart < 0) {
            found.accessStart = valueStart;
            found.accessEnd = valueEnd;
          } else if (!sameRegion(
              header, valueStart, valueEnd, found.accessStart, found.accessEnd)) {
            found.accessAmbiguous = true;
          }
        } else if (matches(header, start, nameLength, refreshName)) {
          if (found.refreshStart < 0) {
            found.refreshStart = valueStart;
            found.refreshEnd = valueEnd;
          } else if (!sameRegion(
              header, valueStart, valueEnd, found.refreshStart, found.refreshEnd)) {
            found.refreshAmbiguous = true;
          }
        }
      }
      position = end + 1;
    }
    return found;
  }

  /**
   * The first {@code c} in {@code text[from, to)}, or -1. Bounded by the pair: searching the whole
   * rest of the header made a header of pairs without {@code =} quadratic (seconds for 1 MiB).
   */
  private static int indexOf(String text, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(String header, int start, int length, String name) {
    return length == name.length() && header.regionMatches(start, name, 0, length);
  }

  private static boolean sameRegion(
      String header, int start, int end, int otherStart, int otherEnd) {
    return end - start == otherEnd - otherStart
        && header.regionMatches(start, header, otherStart, end - start);
  }

  private static int skipBlanks(String text, int from, int to) {
    while (from < to && isBlank(text.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int trimBlanksBefore(String text, int from, int to) {
    while (to > from && isBlank(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
