package dev.jwtsession.testkit;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An adapter's JWKS endpoint over real HTTP: the subclass serves the adapter's JWKS handler for an
 * engine at {@link #PATH} on 127.0.0.1 and builds the handler alone (for the start-up check), and
 * inherits the scenarios every adapter's endpoint passes: the public access keys as a cacheable JWK
 * Set that verifies our tokens, {@code HEAD}, {@code 405} for other methods, a configurable cache
 * lifetime, and HMAC-only access keys refused when the handler is built.
 */
public abstract class JwksScenarios {

  /** Where the subclass serves the endpoint. */
  public static final String PATH = "/.well-known/jwks.json";

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private ServerUnderTest server;

  /**
   * Serves the adapter's JWKS handler for {@code engine} at {@link #PATH} on 127.0.0.1, port 0.
   *
   * @param maxAge the handler's cache lifetime, or {@code null} for the adapter's default
   */
  protected abstract ServerUnderTest serve(JwtSession engine, Duration maxAge) throws Exception;

  /** Builds the adapter's JWKS handler for {@code engine} without serving it. */
  protected abstract void build(JwtSession engine);

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private void start(JwtSession engine, Duration maxAge) throws Exception {
    server = serve(engine, maxAge);
  }

  /**
   * An engine signing access tokens with {@code accessKeys} (refresh tokens with an ES256 key whose
   * {@code kid} is {@code refresh-key}, which the endpoint must never publish).
   */
  protected static JwtSession engine(Keys accessKeys) {
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
    URI base = Objects.requireNonNull(server, "serve first").baseUri();
    return CLIENT.send(
        HttpRequest.newBuilder(base.resolve(PATH))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getAnswersThePublicAccessKeysAsACacheableJwkSetThatVerifiesOurAccessTokens()
      throws Exception {
    JwtSession engine = engine(Keys.of(TestKeys.key("RS256", "rsa-1")));
    start(engine, null);

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
    start(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), null);

    HttpResponse<String> response = send("HEAD");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    start(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), null);

    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      HttpResponse<String> response = send(method);
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD");
      assertThat(response.body()).as(method).doesNotContain("ec-1");
    }
  }

  @Test
  void theCacheLifetimeIsConfigurable() throws Exception {
    start(engine(Keys.of(TestKeys.key("ES256", "ec-1"))), Duration.ofHours(1));

    assertThat(send("GET").headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
  }

  @Test
  void hmacOnlyAccessKeysAreRefusedWhenTheEndpointIsBuilt() {
    JwtSession engine = engine(Keys.hmac("h", "an-hmac-secret-of-32-bytes-or-more!!"));

    assertThatThrownBy(() -> build(engine))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("jwks")
        .hasMessageContaining("HMAC secrets are never published")
        .hasMessageNotContaining("an-hmac-secret");
  }
}
