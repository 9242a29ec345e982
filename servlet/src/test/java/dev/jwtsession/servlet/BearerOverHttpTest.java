package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API clients over real HTTP through {@link JwtSessionFilter}: {@code Authorization: Bearer},
 * {@link TokenResponses}, the cross-site check for bearer requests, and bearer off by default.
 */
class BearerOverHttpTest {

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  ApiTestApp app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  ApiTestApp start(Consumer<JwtSession.Builder> extras) throws Exception {
    JwtSession.Builder builder =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secure(false)
                        .secret("bearer-test-access-secret-of-32-bytes-long"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secure(false)
                        .secret("bearer-test-refresh-secret-of-32-bytes-lon"))
            .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
            .clock(clock)
            .listener(listener);
    extras.accept(builder);
    app = ApiTestApp.start(builder.build());
    return app;
  }

  ApiTestApp startWithBearer() throws Exception {
    return start(b -> b.bearer(x -> x.enabled(true)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isLessThan(500);
    return response;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(app.url() + path));
  }

  Map<String, Object> tokenLogin(String sub) throws Exception {
    HttpResponse<String> response =
        send(request("/tokens?sub=" + sub).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(200);
    return JSONObjectUtils.parse(response.body());
  }

  /** Logs {@code sub} in with cookies; the Cookie header the browser then sends. */
  String cookieLogin(String sub) throws Exception {
    HttpResponse<String> response =
        send(request("/login?sub=" + sub).POST(HttpRequest.BodyPublishers.noBody()));
    List<String> pairs = new ArrayList<>();
    for (String setCookie : response.headers().allValues("Set-Cookie")) {
      pairs.add(setCookie.substring(0, setCookie.indexOf(';')));
    }
    assertThat(pairs).hasSize(2);
    return String.join("; ", pairs);
  }

  HttpResponse<String> me(String authorization, String cookies) throws Exception {
    HttpRequest.Builder request = request("/me");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (cookies != null) {
      request.header("Cookie", cookies);
    }
    return send(request.GET());
  }

  HttpResponse<String> crossSiteForm(String authorization) throws Exception {
    HttpRequest.Builder request =
        request("/form")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "https://evil.example")
            .POST(HttpRequest.BodyPublishers.ofString("a=b"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  @Test
  void aTokenLoginAnswersOAuthJsonAndItsBearerTokenAuthenticatesWithoutCookies() throws Exception {
    startWithBearer();
    HttpResponse<String> login =
        send(request("/tokens?sub=alice").POST(HttpRequest.BodyPublishers.noBody()));
    Map<String, Object> tokens = JSONObjectUtils.parse(login.body());

    HttpResponse<String> me = me("Bearer " + tokens.get("access_token"), null);

    assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(login.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(login.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(tokens)
        .containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
        .containsEntry("token_type", "Bearer")
        .containsEntry("expires_in", 60L);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo("sub=alice;via=BEARER");
    assertThat(me.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void aBearerHeaderWinsOverAnotherUsersCookiesWhichStayUntouched() throws Exception {
    startWithBearer();
    String bobCookies = cookieLogin("bob");
    Object alice = tokenLogin("alice").get("access_token");

    HttpResponse<String> me = me("Bearer " + alice, bobCookies);

    assertThat(me.body()).isEqualTo("sub=alice;via=BEARER");
    assertThat(me.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(me(null, bobCookies).body()).isEqualTo("sub=bob;via=COOKIE");
  }

  @Test
  void anExpiredBearerTokenIsAnonymousWithNoRenewalAndNoSetCookie() throws Exception {
    startWithBearer();
    String bobCookies = cookieLogin("bob");
    Object alice = tokenLogin("alice").get("access_token");
    clock.advance(Duration.ofSeconds(70));

    HttpResponse<String> me = me("Bearer " + alice, bobCookies);

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(listener.events()).doesNotContain("reauthenticated");
  }

  @Test
  void anotherAuthorizationSchemeIsIgnoredAndTheCookiesAreUsed() throws Exception {
    startWithBearer();
    String bobCookies = cookieLogin("bob");

    HttpResponse<String> me = me("Basic Ym9iOnBhc3N3b3Jk", bobCookies);

    assertThat(me.body()).isEqualTo("sub=bob;via=COOKIE");
  }

  @Test
  void malformedBearerHeadersAreAnonymousAndNever5xx() throws Exception {
    startWithBearer();
    String bobCookies = cookieLogin("bob");
    Map<String, Object> tokens = tokenLogin("alice");
    String token = (String) tokens.get("access_token");
    List<String> headers =
        List.of(
            "Bearer",
            "Bearer ",
            "Bearer " + token + " " + token,
            "Bearer " + "A".repeat(5000),
            "Bearer " + token.replace('.', ','),
            "Bearer abc!def",
            "Bearer <script>",
            "Bearer " + tokens.get("refresh_token"));
    for (String header : headers) {
      HttpResponse<String> me = me(header, bobCookies);

      assertThat(me.statusCode()).as(header).isEqualTo(401);
      assertThat(me.headers().allValues("Set-Cookie")).as(header).isEmpty();
    }
    assertThat(listener.events()).contains("rejected:ACCESS:WRONG_TOKEN_TYPE");
  }

  @Test
  void aCrossSiteFormPostWithABearerHeaderPassesAndWithoutItIsRefused() throws Exception {
    ApiTestApp app = startWithBearer();
    Object alice = tokenLogin("alice").get("access_token");

    HttpResponse<String> withBearer = crossSiteForm("Bearer " + alice);
    HttpResponse<String> without = crossSiteForm(null);

    assertThat(withBearer.statusCode()).isEqualTo(204);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(without.body()).startsWith("Cross-site");
    assertThat(app.formCalls).hasValue(1);
  }

  @Test
  void withBearerOffABearerHeaderIsIgnoredEverywhere() throws Exception {
    JwtSession issuer =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofSeconds(60))
                        .secret("bearer-test-access-secret-of-32-bytes-long"))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secret("bearer-test-refresh-secret-of-32-bytes-lon"))
            .clock(clock)
            .build();
    String alice = issuer.issueTokens(Payloads.of(Map.of("sub", "alice"), Map.of())).accessToken();
    ApiTestApp app = start(b -> {});
    String bobCookies = cookieLogin("bob");

    assertThat(me("Bearer " + alice, null).statusCode()).isEqualTo(401);
    assertThat(me("Bearer " + alice, bobCookies).body()).isEqualTo("sub=bob;via=COOKIE");
    assertThat(crossSiteForm("Bearer " + alice).statusCode()).isEqualTo(403);
    assertThat(app.formCalls).hasValue(0);
  }
}
