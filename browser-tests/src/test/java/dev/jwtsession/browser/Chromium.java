package dev.jwtsession.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Starts Debian's {@code chromium} through Debian's {@code chromedriver}, headless, each in a fresh
 * profile, so that nothing is ever downloaded at run time.
 *
 * <p>Both binaries are named explicitly: with an explicit driver executable and browser binary
 * Selenium never asks Selenium Manager to resolve (and download) either. {@code CHROME_BIN} and
 * {@code CHROMEDRIVER} (system property or environment variable) point elsewhere; a missing binary
 * fails with the command that installs it.
 */
final class Chromium {

  static final String DEFAULT_BROWSER = "/usr/bin/chromium";
  static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";
  static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";

  /** The window every browser opens with; {@code docs/demo.png} is taken at this size. */
  static final int WIDTH = 1200;

  static final int HEIGHT = 800;

  /**
   * Selenium warns on every start that it has no DevTools binding for this Chromium version; these
   * tests use none (they read DevTools events from the performance log), so the warning is noise.
   * Held strongly: java.util.logging keeps loggers weakly and would forget the level.
   */
  private static final Logger CDP_VERSION_FINDER =
      quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  private final Path browser;
  private final Path driver;

  private Chromium(Path browser, Path driver) {
    this.browser = browser;
    this.driver = driver;
  }

  /**
   * The binaries named by {@code CHROME_BIN}/{@code CHROMEDRIVER}, else Debian's; both must exist.
   */
  static Chromium locate() {
    return locate(
        setting("CHROME_BIN").orElse(DEFAULT_BROWSER),
        setting("CHROMEDRIVER").orElse(DEFAULT_DRIVER));
  }

  static Chromium locate(String browser, String driver) {
    List<String> problems = new ArrayList<>();
    Optional<Path> browserPath = executable("CHROME_BIN", browser, problems);
    Optional<Path> driverPath = executable("CHROMEDRIVER", driver, problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("\n", problems));
    }
    return new Chromium(browserPath.orElseThrow(), driverPath.orElseThrow());
  }

  /**
   * Starts a new headless browser with an empty profile of its own; close it to delete the profile.
   */
  Browser open() {
    Path profile = createProfileDir();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--password-store=basic",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driver.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    // Chrome's performance log holds the DevTools network events (which cookies a request carried,
    // which SameSite blocked) without a version-specific CDP binding on the class path.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL"));
    ChromeDriver chrome;
    try {
      chrome = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      Browser.deleteTree(profile);
      throw e;
    }
    Browser opened = new Browser(chrome, profile);
    try {
      fitViewport(chrome);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** {@code --window-size} sizes the window, not the page: grow the window by the difference. */
  private static void fitViewport(ChromeDriver chrome) {
    @SuppressWarnings("unchecked")
    List<Number> inner =
        (List<Number>) chrome.executeScript("return [window.innerWidth, window.innerHeight];");
    Dimension window = chrome.manage().window().getSize();
    int width = window.getWidth() + WIDTH - inner.get(0).intValue();
    int height = window.getHeight() + HEIGHT - inner.get(1).intValue();
    if (width != window.getWidth() || height != window.getHeight()) {
      chrome.manage().window().setSize(new Dimension(width, height));
    }
  }

  private static Path createProfileDir() {
    try {
      return Files.createTempDirectory("jwt-session-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Chromium profile directory", e);
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  private static Optional<String> setting(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  private static Optional<Path> executable(String setting, String path, List<String> problems) {
    File file = new File(path);
    if (file.isFile() && file.canExecute()) {
      return Optional.of(file.toPath());
    }
    problems.add(
        setting
            + ": no executable at "
            + path
            + ". Install Debian's Chromium and its driver ("
            + INSTALL_HINT
            + ") or set "
            + setting
            + " (system property or environment variable) to the binary.");
    return Optional.empty();
  }
}
