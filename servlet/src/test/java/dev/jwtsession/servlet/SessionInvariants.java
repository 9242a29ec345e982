package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.fixtures.LogCapture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checked after every adapter test: every session {@code Set-Cookie} the test saw carries the
 * configured attributes (Path=/, HttpOnly, SameSite=Lax), every clearing one also an Expires in the
 * past, and no log line written during the test holds a token.
 */
public final class SessionInvariants implements BeforeEachCallback, AfterEachCallback {

  private static final Pattern TOKEN = Pattern.compile("eyJ[\\w-]{8,}\\.[\\w-]{8,}\\.[\\w-]{8,}");

  private LogCapture log;

  @Override
  public void beforeEach(ExtensionContext context) {
    Browser.SEEN_SET_COOKIES.clear();
    log = LogCapture.of("dev.jwtsession");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    log.close();
    for (String setCookie : Browser.SEEN_SET_COOKIES) {
      if (setCookie.startsWith("app_session=") || setCookie.startsWith("app_refresh=")) {
        assertThat(setCookie).contains("; Path=/", "; HttpOnly", "; SameSite=Lax");
        if (setCookie.contains("Max-Age=0")) {
          assertThat(setCookie).contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        }
      }
    }
    assertThat(log.lines())
        .as("log lines must never hold a token")
        .noneMatch(l -> TOKEN.matcher(l).find());
  }
}
