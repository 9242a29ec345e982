package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.ServerUnderTest;
import dev.jwtsession.testkit.TokenEndpointScenarios;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenEndpointServlet} over real HTTP: the kit's token endpoint scenarios (race-safe
 * refresh, reuse, bad input, size limits, methods), plus revocation and the token writer's shape.
 */
class TokenEndpointServletTest extends TokenEndpointScenarios {

  @Override
  protected ServerUnderTest start(JwtSession engine) throws Exception {
    ApiTestApp app = ApiTestApp.start(engine);
    return ServerUnderTest.of(URI.create(app.url()), app);
  }

  @Test
  void aRevokedRefreshTokenIsInvalidGrant() throws Exception {
    String token = loginRefreshToken("alice");

    HttpResponse<String> revoke =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri("/revoke"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("refresh_token=" + token))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    clock.advance(Duration.ofSeconds(70));
    HttpResponse<String> refresh = refresh(token);

    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(refresh.statusCode()).isEqualTo(400);
    assertThat(refresh.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(reauthCalls).hasValue(0);
  }

  @Test
  void tokenResponsesWriteTheOAuthShape() throws Exception {
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(uri(TOKENS + "?sub=bob"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    Map<String, Object> json = JSONObjectUtils.parse(login.body());
    assertThat(login.body()).startsWith("{\"access_token\":\"eyJ");
    assertThat(json).containsEntry("expires_in", 60L).containsEntry("token_type", "Bearer");
    assertThat(login.headers().firstValue("Pragma")).contains("no-cache");
  }
}
