package dev.jwtsession.spring.security;

import static dev.jwtsession.spring.security.BridgeTestApp.ACCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * API clients through Spring Security (issue 17): a valid {@code Authorization: Bearer} token is
 * the same {@link JwtSessionAuthentication} as a cookie session; a refused one gets {@code 401}
 * with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3) where authentication is
 * needed, and requests without a bearer header keep the chain's own entry point.
 */
@SpringBootTest(
    classes = BridgeTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "test.csrf=off", "test.bearer=true"})
class BearerChainTest {

  @LocalServerPort int port;

  final HttpClient client = HttpClient.newHttpClient();

  /** Alice's access token, from a cookie login (the same token an API client would hold). */
  String aliceAccessToken() throws Exception {
    BridgeBrowser alice = new BridgeBrowser("http://127.0.0.1:" + port);
    HttpResponse<String> login =
        alice.send(
            alice
                .request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=alice&password="
                            + URLEncoder.encode("alice-password", StandardCharsets.UTF_8)))
                .build());
    assertThat(login.statusCode()).isEqualTo(302);
    return alice.cookies().get(ACCESS);
  }

  HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aValidBearerTokenIsTheSameAuthenticationAsTheCookieSessionAndSetsNoCookie()
      throws Exception {
    HttpResponse<String> me = get("/me", "Bearer " + aliceAccessToken());

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo("sub=alice;authorities=ROLE_admin;reauthenticated=false");
    assertThat(me.headers().allValues("Set-Cookie")).isEmpty();
    HttpResponse<String> admin = get("/admin", "Bearer " + aliceAccessToken());
    assertThat(admin.statusCode()).isEqualTo(200);
  }

  @Test
  void aRefusedBearerTokenGets401WithTheInvalidTokenChallenge() throws Exception {
    String forged = aliceAccessToken();
    forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");

    for (String header : new String[] {"Bearer " + forged, "bearer not-a-jwt", "Bearer "}) {
      HttpResponse<String> me = get("/me", header);

      assertThat(me.statusCode()).as(header).isEqualTo(401);
      assertThat(me.headers().allValues("WWW-Authenticate"))
          .as(header)
          .containsExactly("Bearer error=\"invalid_token\"");
      assertThat(me.headers().allValues("Set-Cookie")).as(header).isEmpty();
    }
  }

  @Test
  void aRefusedBearerTokenOnAPublicPageIsSimplyAnonymous() throws Exception {
    HttpResponse<String> page = get("/public", "Bearer not-a-jwt");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void requestsWithoutABearerHeaderKeepTheChainsOwnEntryPoint() throws Exception {
    for (String header : new String[] {null, "Basic Ym9iOndyb25n"}) {
      HttpResponse<String> me = get("/me", header);

      assertThat(me.statusCode()).as(String.valueOf(header)).isIn(302, 401);
      assertThat(me.headers().allValues("WWW-Authenticate"))
          .as(String.valueOf(header))
          .noneMatch(v -> v.startsWith("Bearer"));
    }
  }
}
