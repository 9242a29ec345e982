package dev.jwtsession.testkit;

import dev.jwtsession.CookieOptions;
import dev.jwtsession.JwtSession;
import dev.jwtsession.TokenSettings;
import dev.jwtsession.fixtures.LogCapture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that checks, after every test, what every {@link Browser} saw during it:
 *
 * <ul>
 *   <li>every {@code Set-Cookie} of a session cookie of an engine passed to {@link #watch} carries
 *       that engine's configured {@code Path}, {@code Domain} (or none), {@code HttpOnly}, {@code
 *       SameSite}, and {@code Secure} when configured;
 *   <li>every clearing one ({@code name=;}) has {@code Max-Age=0} and the same {@code Path}/{@code
 *       Domain} as the cookie it clears;
 *   <li>no response carries two {@code Set-Cookie} headers for one cookie name;
 *   <li>no line the {@code dev.jwtsession} logger wrote holds a JWT ({@code eyJ….….…}).
 * </ul>
 *
 * <p>{@link AdapterContract} registers it and watches every engine it builds; other tests use it
 * with {@code @ExtendWith(SessionInvariants.class)} and {@link #watch}. Tests using it must not run
 * in parallel with each other (the record is shared).
 */
public final class SessionInvariants implements BeforeEachCallback, AfterEachCallback {

  private static final Pattern TOKEN = Pattern.compile("eyJ[\\w-]{8,}\\.[\\w-]{8,}\\.[\\w-]{8,}");

  private static final List<JwtSession> WATCHED = new CopyOnWriteArrayList<>();

  private LogCapture log;

  /** Checks the session cookies of {@code engine} until the end of the current test. */
  public static JwtSession watch(JwtSession engine) {
    WATCHED.add(engine);
    return engine;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Browser.SEEN_SET_COOKIES.clear();
    WATCHED.clear();
    log = LogCapture.of("dev.jwtsession");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    log.close();
    List<List<String>> responses = new ArrayList<>(Browser.SEEN_SET_COOKIES);
    List<JwtSession> engines = new ArrayList<>(WATCHED);
    Browser.SEEN_SET_COOKIES.clear();
    WATCHED.clear();
    SoftAssertions softly = new SoftAssertions();
    for (List<String> setCookies : responses) {
      Set<String> names = new HashSet<>();
      for (String setCookie : setCookies) {
        String name = setCookie.substring(0, Math.max(0, setCookie.indexOf('=')));
        softly
            .assertThat(names.add(name))
            .as("a response carries two Set-Cookie for '%s': %s", name, redact(setCookies))
            .isTrue();
        for (JwtSession engine : engines) {
          check(softly, setCookie, name, engine.accessSettings());
          check(softly, setCookie, name, engine.refreshSettings());
        }
      }
    }
    softly
        .assertThat(log.lines())
        .as("log lines of dev.jwtsession must never hold a token")
        .noneMatch(l -> TOKEN.matcher(l).find());
    softly.assertAll();
  }

  private static void check(
      SoftAssertions softly, String setCookie, String name, TokenSettings settings) {
    if (!name.equals(settings.cookieName())) {
      return;
    }
    CookieOptions options = settings.cookie();
    List<String> attributes = attributes(setCookie);
    String shown = redact(List.of(setCookie)).get(0);
    softly.assertThat(attributes).as("Path of %s", shown).contains("Path=" + options.path());
    if (options.domain() != null) {
      softly
          .assertThat(attributes)
          .as("Domain of %s", shown)
          .contains("Domain=" + options.domain());
    } else {
      softly
          .assertThat(attributes)
          .as("host-only cookie has no Domain: %s", shown)
          .noneMatch(a -> a.regionMatches(true, 0, "Domain=", 0, 7));
    }
    if (options.httpOnly()) {
      softly.assertThat(attributes).as("HttpOnly of %s", shown).contains("HttpOnly");
    }
    if (options.secure()) {
      softly.assertThat(attributes).as("Secure of %s", shown).contains("Secure");
    }
    softly
        .assertThat(attributes)
        .as("SameSite of %s", shown)
        .contains("SameSite=" + options.sameSite().attributeValue());
    if (setCookie.startsWith(name + "=;") || setCookie.equals(name + "=")) {
      softly
          .assertThat(attributes)
          .as("a clearing cookie has Max-Age=0: %s", shown)
          .contains("Max-Age=0");
    }
  }

  private static List<String> attributes(String setCookie) {
    List<String> attributes = new ArrayList<>();
    String[] parts = setCookie.split(";");
    for (int i = 1; i < parts.length; i++) {
      attributes.add(parts[i].trim());
    }
    return attributes;
  }

  /** The headers with cookie values cut, so a failure message never prints a token. */
  private static List<String> redact(List<String> setCookies) {
    List<String> shown = new ArrayList<>();
    for (String setCookie : setCookies) {
      int equals = setCookie.indexOf('=');
      int semicolon = setCookie.indexOf(';');
      int valueEnd = semicolon < 0 ? setCookie.length() : semicolon;
      if (equals < 0 || equals > valueEnd) {
        shown.add("(a Set-Cookie without name=value)");
      } else if (valueEnd == equals + 1) {
        shown.add(setCookie); // an empty value: a clearing cookie
      } else {
        shown.add(setCookie.substring(0, equals + 1) + "…" + setCookie.substring(valueEnd));
      }
    }
    return shown;
  }
}
