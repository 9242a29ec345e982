package dev.jwtsession.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium with a profile of its own; {@link #close()} quits it and deletes the
 * profile.
 */
final class Browser implements AutoCloseable {

  private static final Json JSON = new Json();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ChromeDriver driver;
  private final Path profile;

  Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  ChromeDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  void reload() {
    driver.navigate().refresh();
  }

  /**
   * Waits until the page that set {@code window.jwtSessionPageBeforeClick} has been replaced by one
   * that finished loading. While a document is being replaced the driver may answer any command
   * with an error about the old one, so errors only mean "not yet".
   */
  void awaitNewPage() {
    new WebDriverWait(driver, WAIT)
        .ignoring(WebDriverException.class)
        .until(
            d ->
                Boolean.TRUE.equals(
                    driver.executeScript(
                        "return window.jwtSessionPageBeforeClick === undefined && document.readyState === 'complete';")));
  }

  /**
   * Waits until the browser shows a completely loaded page whose address starts with {@code
   * prefix}.
   */
  void awaitPageUnder(String prefix) {
    new WebDriverWait(driver, WAIT)
        .ignoring(WebDriverException.class)
        .until(
            d ->
                driver.getCurrentUrl().startsWith(prefix)
                    && "complete".equals(driver.executeScript("return document.readyState;")));
  }

  WebElement find(String cssSelector) {
    return driver.findElement(By.cssSelector(cssSelector));
  }

  boolean has(String cssSelector) {
    return !driver.findElements(By.cssSelector(cssSelector)).isEmpty();
  }

  /**
   * The cookie as the browser stored it, HttpOnly ones included (read through WebDriver, not
   * script).
   */
  Optional<Cookie> cookie(String name) {
    return Optional.ofNullable(driver.manage().getCookieNamed(name));
  }

  /** What the page's own script sees: {@code document.cookie}. */
  String documentCookie() {
    return (String) ((JavascriptExecutor) driver).executeScript("return document.cookie;");
  }

  /**
   * The DevTools events Chromium logged since the last call (each one {@code method} and {@code
   * params}), e.g. {@code Network.requestWillBeSentExtraInfo} with the cookies a request carried
   * and those that SameSite held back.
   */
  List<Map<String, Object>> devToolsEvents() {
    List<Map<String, Object>> events = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      Map<String, Object> wrapper = JSON.toType(entry.getMessage(), Json.MAP_TYPE);
      @SuppressWarnings("unchecked")
      Map<String, Object> message = (Map<String, Object>) wrapper.get("message");
      events.add(message);
    }
    return events;
  }

  /** Saves a PNG of the viewport, creating the directories on the way. */
  void screenshot(Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the Chromium profile " + root, e);
    }
  }
}
