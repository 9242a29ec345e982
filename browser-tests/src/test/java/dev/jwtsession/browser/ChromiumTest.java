package dev.jwtsession.browser;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the browser and its driver: never a download, and a missing one says how to install it.
 */
class ChromiumTest {

  @TempDir Path empty;

  @Test
  void missingBrowserFailsWithTheCommandThatInstallsIt() {
    String absent = empty.resolve("chromium").toString();

    assertThatThrownBy(() -> Chromium.locate(absent, Chromium.DEFAULT_DRIVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CHROME_BIN")
        .hasMessageContaining(absent)
        .hasMessageContaining("apt-get install -y chromium chromium-driver");
  }

  @Test
  void missingDriverFailsWithTheCommandThatInstallsIt() {
    String absent = empty.resolve("chromedriver").toString();

    assertThatThrownBy(() -> Chromium.locate(Chromium.DEFAULT_BROWSER, absent))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CHROMEDRIVER")
        .hasMessageContaining(absent)
        .hasMessageContaining("apt-get install -y chromium chromium-driver");
  }

  @Test
  void everyMissingBinaryIsReportedAtOnce() {
    String browser = empty.resolve("chromium").toString();
    String driver = empty.resolve("chromedriver").toString();

    assertThatThrownBy(() -> Chromium.locate(browser, driver))
        .hasMessageContaining("CHROME_BIN: no executable at " + browser)
        .hasMessageContaining("CHROMEDRIVER: no executable at " + driver);
  }

  @Test
  void aDirectoryIsNotABrowser() {
    String directory = empty.toString();

    assertThatThrownBy(() -> Chromium.locate(directory, directory))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no executable at " + directory);
  }
}
