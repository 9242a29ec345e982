package dev.jwtsession.browser;

import java.net.URI;

/** The demo's one page, driven the way a person would: typing and clicking. */
final class DemoPage {

  static final String ACCESS_COOKIE = "jwt_session_access";
  static final String REFRESH_COOKIE = "jwt_session_refresh";

  private final Browser browser;
  private final URI home;

  DemoPage(Browser browser, URI home) {
    this.browser = browser;
    this.home = home;
  }

  Browser browser() {
    return browser;
  }

  DemoPage open() {
    browser.open(home.toString());
    return this;
  }

  /** Types the credentials into the form, clicks "Sign in" and waits for the page that follows. */
  DemoPage logIn(String username, String password) {
    browser.find("#username").clear();
    browser.find("#username").sendKeys(username);
    browser.find("#password").sendKeys(password);
    click("#login-button");
    return this;
  }

  /** Clicks a button that submits a form and waits until the next page has replaced this one. */
  DemoPage click(String button) {
    browser.driver().executeScript("window.jwtSessionPageBeforeClick = true;");
    browser.find(button).click();
    browser.awaitNewPage();
    return this;
  }

  boolean showsLoginForm() {
    return browser.has("#login-form");
  }

  boolean showsSession() {
    return browser.has("#who");
  }

  String text(String cssSelector) {
    return browser.find(cssSelector).getText();
  }
}
