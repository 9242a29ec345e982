package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SessionInvariants.class)
class JwtSessionFilterTest {

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  TestApp app;

  JwtSession.Builder engine() {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName("app_session")
                    .maxAge(Duration.ofSeconds(60))
                    .secure(false)
                    .secret("servlet-test-access-secret-32-bytes-long!"))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .secure(false)
                    .secret("servlet-test-refresh-secret-32-bytes-long"))
        .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
        .clock(clock)
        .listener(listener);
  }

  Browser start(JwtSession engine) throws Exception {
    app = TestApp.start(engine);
    return new Browser(app.url());
  }

  /** A logout POST as a page at {@code origin} would send it, with that content type and body. */
  HttpResponse<String> postToLogout(Browser browser, String origin, String contentType, String body)
      throws Exception {
    return browser.send(
        browser
            .request("/logout")
            .header("Origin", origin)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void loginThenEveryRequestIsAuthenticatedWithoutSetCookieUntilLogout() throws Exception {
    Browser browser = start(engine().build());
    assertThat(browser.get("/me").statusCode()).isEqualTo(401);

    HttpResponse<String> login = browser.post("/login?sub=alice");
    assertThat(Browser.setCookies(login)).hasSize(2);
    HttpResponse<String> me = browser.get("/me");
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).startsWith("sub=alice;reauth=false;rot=0");
    assertThat(Browser.setCookies(me)).isEmpty();

    HttpResponse<String> logout = browser.post("/logout");
    assertThat(Browser.setCookies(logout)).allMatch(c -> c.contains("Max-Age=0")).hasSize(2);
    assertThat(browser.cookies()).isEmpty();
    assertThat(browser.get("/me").statusCode()).isEqualTo(401);
  }

  @Test
  void expiredAccessWithValidRefreshIsRenewedInSameRequest() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");
    String firstAccess = browser.cookies().get("app_session");
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> me = browser.get("/me");

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).startsWith("sub=alice;reauth=true;rot=1");
    assertThat(browser.cookies().get("app_session")).isNotEqualTo(firstAccess);
    assertThat(browser.get("/me").body()).startsWith("sub=alice;reauth=false;rot=1");
  }

  @Test
  void tamperedCookieIsAnsweredAnonymousAndCleared() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");
    browser.cookies().remove("app_refresh");
    String token = browser.cookies().get("app_session");
    browser
        .cookies()
        .put(
            "app_session",
            token.substring(0, token.indexOf('.') + 1)
                + "eyJzdWIiOiJhZG1pbiJ9"
                + token.substring(token.lastIndexOf('.')));

    HttpResponse<String> me = browser.get("/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(Browser.setCookies(me))
        .singleElement()
        .asString()
        .startsWith("app_session=; Max-Age=0;")
        .contains("Path=/");
    assertThat(listener.events()).contains("rejected:ACCESS:BAD_SIGNATURE");
  }

  @Test
  void loginAfterTheHandlerStartedWritingTheBodyStillSetsBothCookies() throws Exception {
    Browser browser = start(engine().build());

    HttpResponse<String> response = browser.get("/late-login");

    assertThat(response.body()).isEqualTo("body written before login\n");
    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(browser.get("/me").body()).startsWith("sub=late;");
  }

  @Test
  void loginAfterTheResponseWasCommittedIsRefusedWithAClearMessage() throws Exception {
    Browser browser = start(engine().build());

    HttpResponse<String> response = browser.get("/committed-login");

    assertThat(response.body())
        .contains("refused: Session.login() was called after the response " + "was committed");
    assertThat(Browser.setCookies(response)).isEmpty();
  }

  @Test
  void aResponseCarriesAtMostOneSetCookiePerNameAndKeepsTheApplicationsOwnCookies()
      throws Exception {
    Browser browser = start(engine().build());

    HttpResponse<String> response =
        browser.send(
            browser
                .request("/own-cookie-then-logout")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(Browser.setCookies(response))
        .hasSize(3)
        .contains("theme=dark; Path=/")
        .filteredOn(c -> c.startsWith("app_"))
        .allMatch(c -> c.contains("Max-Age=0"));
  }

  @Test
  void crossOriginFormPostIsForbiddenBeforeTheApplicationAndTouchesNoCookie() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        postToLogout(browser, "http://evil.example", "application/x-www-form-urlencoded", "x=1");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("Cross-origin POST requests are forbidden");
    assertThat(Browser.setCookies(response)).isEmpty();
    assertThat(browser.get("/me").statusCode()).isEqualTo(200);
  }

  @Test
  void sameOriginFormPostPasses() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        postToLogout(browser, app.url(), "application/x-www-form-urlencoded", "x=1");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(browser.cookies()).isEmpty();
  }

  @Test
  void crossOriginJsonPostIsForbiddenToo() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        postToLogout(browser, "http://other.example", "application/json", "{}");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(browser.get("/me").statusCode()).isEqualTo(200);
  }

  @Test
  void crossOriginPostWithoutContentTypeAsANoCorsBlobFetchSendsItIsForbidden() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        browser.send(
            browser
                .request("/logout")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());

    assertThat(response.request().headers().firstValue("Content-Type")).isEmpty();
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("Cross-origin POST requests are forbidden");
    assertThat(browser.get("/me").statusCode()).isEqualTo(200);
  }

  @Test
  void crossSiteFetchMetadataIsForbiddenEvenWithoutOrigin() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        browser.send(
            browser
                .request("/logout")
                .header("Sec-Fetch-Site", "same-site")
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void exemptPathTakesCrossOriginPostsAndOtherPathsStillRefuseThem() throws Exception {
    Browser browser = start(engine().csrf(c -> c.exemptPaths("/logout")).build());
    browser.post("/login?sub=alice");

    HttpResponse<String> elsewhere =
        browser.send(
            browser
                .request("/logout-all")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    HttpResponse<String> exempt =
        browser.send(
            browser
                .request("/logout")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "https://payments.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(exempt.statusCode()).isEqualTo(204);
  }

  @Test
  void loginResponseIsNoStoreEvenWhenTheHandlerSetsPublicCachingAfterwards() throws Exception {
    Browser browser = start(engine().build());

    HttpResponse<String> response = browser.post("/public-page?sub=alice");

    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
    assertThat(response.headers().allValues("CDN-Cache-Control")).containsExactly("no-store");
  }

  @Test
  void renewalResponseIsNoStoreEvenWhenTheHandlerSetsPublicCaching() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");
    clock.advance(Duration.ofMinutes(2));

    HttpResponse<String> response = browser.get("/public-page");

    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void logoutResponseIsNoStore() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response = browser.post("/logout");

    assertThat(Browser.setCookies(response)).hasSize(2);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }

  @Test
  void responseWithoutSessionCookieKeepsTheApplicationsCachingHeaders() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response = browser.get("/public-page");

    assertThat(Browser.setCookies(response)).isEmpty();
    assertThat(String.join(", ", response.headers().allValues("Cache-Control")))
        .contains("public, max-age=60");
  }

  @Test
  void formPostFromATrustedOriginPasses() throws Exception {
    Browser browser =
        start(engine().csrf(c -> c.trustedOrigins("https://app.example.com")).build());
    browser.post("/login?sub=alice");

    HttpResponse<String> response =
        postToLogout(
            browser, "https://app.example.com", "multipart/form-data; boundary=x", "--x--");

    assertThat(response.statusCode()).isEqualTo(204);
  }

  @Test
  void csrfCheckCanBeTurnedOff() throws Exception {
    Browser browser = start(engine().csrf(c -> c.enabled(false)).build());

    HttpResponse<String> response = postToLogout(browser, "http://evil.example", "text/plain", "x");

    assertThat(response.statusCode()).isEqualTo(204);
  }

  @Test
  void hostileCookieHeadersNeverAuthenticateNorAnswer5xx() throws Exception {
    Browser browser = start(engine().build());
    browser.post("/login?sub=alice");
    String token = browser.cookies().get("app_session");
    String[] parts = token.split("\\.");
    List<String> hostile =
        new ArrayList<>(
            List.of(
                "app_session=",
                "app_session",
                "=app_session",
                ";;;;",
                "app_session=\"\"",
                "app_session=" + token + "; app_session=" + token + "x",
                "app_session=" + parts[0] + "." + parts[1] + ".",
                "app_session=eyJhbGciOiJub25lIn0." + parts[1] + ".",
                "app_session=" + "A".repeat(5000),
                "app_session=" + token.replace('.', ','),
                "app_refresh=" + token,
                "app_session=%00%0d%0a",
                "app_session=\u00e9\u00e9"));
    Random random = new Random(42);
    String alphabet = "abcAZ09-_.=;\" ,%+/";
    for (int i = 0; i < 200; i++) {
      StringBuilder value = new StringBuilder("app_session=");
      int length = random.nextInt(400);
      for (int j = 0; j < length; j++) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      hostile.add(value.toString());
    }

    for (String cookieHeader : hostile) {
      HttpResponse<String> response =
          browser.send(
              HttpRequest.newBuilder(URI.create(app.url() + "/me"))
                  .header("Cookie", cookieHeader)
                  .GET()
                  .build());
      assertThat(response.statusCode()).as(cookieHeader).isLessThan(500).isNotEqualTo(200);
    }
  }
}
