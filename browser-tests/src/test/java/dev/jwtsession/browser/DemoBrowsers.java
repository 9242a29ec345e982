package dev.jwtsession.browser;

import dev.jwtsession.demo.DemoApp;
import dev.jwtsession.demo.DemoConfig;
import dev.jwtsession.demo.RunningDemo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo on a free loopback port for a test class, and headless browsers for each test.
 *
 * <p>Register it on a static field so the demo starts once per class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DemoBrowsers demo = DemoBrowsers.withEnv(Map.of("JWT_SESSION_ACCESS_MAX_AGE", "3"));
 * }</pre>
 *
 * <p>{@link #browser()} is the test's browser (opened on first use); {@link #newBrowser()} opens
 * another one with a profile of its own. After each test, pass or fail, every browser it opened
 * saves its page to {@code target/screenshots/<Class>.<method>.png} (the second browser with {@code
 * -2}, and so on), then quits and its profile is deleted.
 */
final class DemoBrowsers implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final Map<String, String> env;
  private final List<Browser> open = new ArrayList<>();
  private Chromium chromium;
  private RunningDemo demo;

  private DemoBrowsers(Map<String, String> env) {
    this.env = env;
  }

  /** A demo started with {@code env} on top of {@code PORT=0}. */
  static DemoBrowsers withEnv(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", "0");
    return new DemoBrowsers(Map.copyOf(all));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    chromium = Chromium.locate();
    demo = DemoApp.start(DemoConfig.fromEnv(env));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (demo != null) {
      demo.close();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    String name =
        context.getRequiredTestClass().getSimpleName()
            + "."
            + context.getRequiredTestMethod().getName();
    RuntimeException failure = null;
    for (int i = 0; i < open.size(); i++) {
      Browser browser = open.get(i);
      try (browser) {
        browser.screenshot(SCREENSHOTS.resolve(name + (i == 0 ? "" : "-" + (i + 1)) + ".png"));
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** The demo's address for {@code path}, e.g. {@code http://127.0.0.1:41234/logout}. */
  URI url(String path) {
    return demo.uri().resolve(path);
  }

  int port() {
    return demo.port();
  }

  /** The test's browser: the first one it opened, opened now if it has none yet. */
  Browser browser() {
    return open.isEmpty() ? newBrowser() : open.get(0);
  }

  /** Another browser with an empty profile of its own, as a second device of the same user. */
  Browser newBrowser() {
    Browser browser = chromium.open();
    open.add(browser);
    return browser;
  }

  /** The demo page in the test's browser. */
  DemoPage page() {
    return new DemoPage(browser(), demo.uri());
  }

  /** The demo page in {@code browser}. */
  DemoPage page(Browser browser) {
    return new DemoPage(browser, demo.uri());
  }
}
