package dev.jwtsession.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Keys;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWKS endpoint of this adapter over real HTTP on a loopback port. */
class JwksHandlerTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Javalin app;
  private String url;

  private void serve(JwtSession engine, Duration maxAge) {
    JwksHandler jwks = maxAge == null ? new JwksHandler(engine) : new JwksHandler(engine, maxAge);
    app =
        Javalin.create(config -> jwks.addTo(config.routes, "/.well-known/jwks.json"))
            .start("127.0.0.1", 0);
    url = "http://127.0.0.1:" + app.port() + "/.well-known/jwks.json";
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private static JwtSession engine(Keys accessKeys) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(5)).keys(accessKeys))
        .refresh(
            t ->
                t.cookieName("app_refresh")
                    .maxAge(Duration.ofDays(7))
                    .keys(Keys.of(TestKeys.key("ES256", "refresh-key"))))
        .build();
  }

  private static String accessToken(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));
    return sink.value("app_session").orElseThrow();
  }

  private HttpResponse<String> send(String method) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getAnswersThePublicAccessKeysAsACacheableJwkSetThatVerifiesOurAccessTokens()
      throws Exception {
    JwtSession engine = engine(Keys.of(TestKeys.key("RS256", "rsa-1")));
    serve(engine, null);

    HttpResponse<String> response = send("GET");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    JWKSet set = JWKSet.parse(response.body());
    assertThat(set.getKeys()).hasSize(1);
    Map<String, Object> json = set.getKeys().get(0).toJSONObject();
    assertThat(json).containsEntry("kid", "rsa-1").containsEntry("use", "sig");
    assertThat(json).containsEntry("alg", "RS256");
    assertThat(json).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "k", "oth");
    assertThat(response.body()).doesNotContain("refresh-key");
    SignedJWT token = SignedJWT.parse(accessToken(engine));
    assertThat(token.getHeader().getKeyID()).isEqualTo("rsa-1");
    assertThat(token.verify(new RSASSAVerifier((RSAKey) set.getKeyByKeyId("rsa-1")))).isTrue();
  }

  @Test
  void headAnswersTheHeadersWithoutABody() throws Exception {
    serve(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), null);

    HttpResponse<String> response = send("HEAD");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    serve(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), null);

    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      HttpResponse<String> response = send(method);
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD");
      assertThat(response.body()).as(method).doesNotContain("ec-1");
    }
  }

  @Test
  void theCacheLifetimeIsConfigurable() throws Exception {
    serve(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), Duration.ofHours(1));

    assertThat(send("GET").headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
  }

  @Test
  void hmacOnlyAccessKeysAreRefusedWhenTheEndpointIsBuilt() {
    JwtSession engine = engine(Keys.hmac("h", "an-hmac-secret-of-32-bytes-or-more!!"));

    assertThatThrownBy(() -> new JwksHandler(engine))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("jwks")
        .hasMessageContaining("HMAC secrets are never published")
        .hasMessageNotContaining("an-hmac-secret");
  }
}
