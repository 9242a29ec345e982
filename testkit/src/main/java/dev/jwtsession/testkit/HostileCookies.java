package dev.jwtsession.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile {@code Cookie} header values aimed at the {@code app_session} cookie: a fixed list of
 * malformed, truncated, re-typed and forged variants of a real token, followed by random ones from
 * a fixed seed (so a failure can be replayed). None of them may authenticate.
 */
public final class HostileCookies {

  private static final String ALPHABET = "abcAZ09-_.=;\" ,%+/";

  private HostileCookies() {}

  /**
   * {@code count} hostile headers (at least the fixed ones) built around {@code validToken}, a real
   * access token of the engine under test.
   */
  public static List<String> headers(String validToken, int count) {
    String[] parts = validToken.split("\\.");
    List<String> hostile =
        new ArrayList<>(
            List.of(
                "app_session=",
                "app_session",
                "=app_session",
                ";;;;",
                "app_session=\"\"",
                "app_session=" + validToken + "; app_session=" + validToken + "x",
                "app_session=" + parts[0] + "." + parts[1] + ".",
                "app_session=eyJhbGciOiJub25lIn0." + parts[1] + ".",
                "app_session=" + "A".repeat(5000),
                "app_session=" + validToken.replace('.', ','),
                "app_refresh=" + validToken,
                "app_session=%00%0d%0a",
                "app_session=\u00e9\u00e9"));
    Random random = new Random(42);
    while (hostile.size() < count) {
      StringBuilder value = new StringBuilder("app_session=");
      int length = random.nextInt(400);
      for (int j = 0; j < length; j++) {
        value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      hostile.add(value.toString());
    }
    return hostile;
  }
}
