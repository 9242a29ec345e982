package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Keys;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.TestKeys;
import dev.jwtsession.testkit.JwksScenarios;
import dev.jwtsession.testkit.ServerUnderTest;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.PublicJwk;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test 7 of issue 16: {@link JwksServlet} on a real loopback server publishes public keys only,
 * lists both keys during rotation phase 1, and two independent verifiers — jjwt 0.13.0 with a key
 * locator by {@code kid}, and Nimbus's {@code DefaultJWTProcessor} with {@code
 * JWKSourceBuilder.create(url)} and a type verifier for {@code at+jwt} — accept our access tokens
 * using only the fetched JWKS, for RS256, PS256, ES256 and EdDSA.
 */
class JwksServletTest extends JwksScenarios {

  static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "k", "oth");
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  Server server;

  @Override
  protected ServerUnderTest serve(JwtSession engine, Duration maxAge) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    JwksServlet jwks = maxAge == null ? new JwksServlet(engine) : new JwksServlet(engine, maxAge);
    context.addServlet(new ServletHolder(jwks), PATH);
    server.setHandler(context);
    server.start();
    return ServerUnderTest.of(
        URI.create("http://127.0.0.1:" + connector.getLocalPort()), server::stop);
  }

  @Override
  protected void build(JwtSession engine) {
    new JwksServlet(engine);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop(); // the kit closes its own; this one also covers serve(engine) below
    }
  }

  /** Serves {@code engine}'s JWKS with the default cache lifetime; returns the endpoint's URL. */
  String serve(JwtSession engine) throws Exception {
    return serve(engine, null).baseUri().resolve(PATH).toString();
  }

  static String accessToken(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine
        .resolve(null, sink)
        .login(Payloads.of(Map.of("sub", "j@doe", "role", "admin"), Map.of("sub", "j@doe")));
    return sink.value("app_session").orElseThrow();
  }

  static HttpResponse<String> send(String url, String method) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> keysOf(String body) throws Exception {
    return (List<Map<String, Object>>) (List<?>) JSONObjectUtils.parse(body).get("keys");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
  void independentVerifiersAcceptOurAccessTokensFromTheFetchedJwksAlone(String alg)
      throws Exception {
    JwtSession engine = engine(Keys.of(TestKeys.key(alg, "access-" + alg)));
    String url = serve(engine);
    String token = accessToken(engine);

    // jjwt 0.13.0: the JWK Set parsed by jjwt, the key located by the token's kid
    String body = send(url, "GET").body();
    JwkSet published = io.jsonwebtoken.security.Jwks.setParser().build().parse(body);
    LocatorAdapter<Key> byKid =
        new LocatorAdapter<>() {
          @Override
          protected Key locate(ProtectedHeader header) {
            return published.getKeys().stream()
                .filter(jwk -> header.getKeyId().equals(jwk.getId()))
                .map(jwk -> ((PublicJwk<?>) jwk).toKey())
                .findFirst()
                .orElseThrow();
          }
        };
    io.jsonwebtoken.Claims jjwtClaims =
        Jwts.parser().keyLocator(byKid).build().parseSignedClaims(token).getPayload();
    assertThat(jjwtClaims.getSubject()).isEqualTo("j@doe");
    assertThat(jjwtClaims.get("role")).isEqualTo("admin");

    // Nimbus DefaultJWTProcessor with the remote JWK source and a type verifier for at+jwt
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    JWKSource<SecurityContext> remote = JWKSourceBuilder.create(new URL(url)).build();
    if (alg.equals("EdDSA")) {
      // Nimbus's key selector and verifier factory know no Ed25519 (an OKP JWK has no java.security
      // form there): a consumer selects the OKP key by the header and builds Ed25519Verifier
      // itself.
      processor.setJWSKeySelector(
          (header, context) ->
              remote.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context).stream()
                  .map(jwk -> (Key) new OkpKey((OctetKeyPair) jwk))
                  .toList());
      processor.setJWSVerifierFactory(
          new DefaultJWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
              return key instanceof OkpKey okp
                  ? new Ed25519Verifier(okp.jwk)
                  : super.createJWSVerifier(header, key);
            }
          });
    } else {
      processor.setJWSKeySelector(
          new JWSVerificationKeySelector<>(JWSAlgorithm.parse(alg), remote));
    }
    JWTClaimsSet nimbusClaims = processor.process(token, null);
    assertThat(nimbusClaims.getSubject()).isEqualTo("j@doe");
  }

  /** Carries an Ed25519 JWK through Nimbus's {@code Key}-typed selector/factory seam. */
  @SuppressWarnings("serial")
  record OkpKey(OctetKeyPair jwk) implements java.security.PublicKey {
    @Override
    public String getAlgorithm() {
      return "Ed25519";
    }

    @Override
    public String getFormat() {
      return "JWK";
    }

    @Override
    public byte[] getEncoded() {
      return jwk.getDecodedX();
    }
  }

  @Test
  void endpointPublishesPublicMembersOnlyWithUseAlgAndKid() throws Exception {
    JwtSession engine =
        engine(
            Keys.of(TestKeys.key("RS256", "rsa"))
                .withVerificationOnly(Keys.of(TestKeys.key("EdDSA", "ed")))
                .withVerificationOnly(Keys.hmac("hmac", "an-hmac-secret-of-32-bytes-or-more!!")));
    HttpResponse<String> response = send(serve(engine), "GET");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/jwk-set+json");
    assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=300");
    List<Map<String, Object>> keys = keysOf(response.body());
    assertThat(keys).extracting(k -> k.get("kid")).containsExactlyInAnyOrder("rsa", "ed");
    for (Map<String, Object> key : keys) {
      assertThat(key.keySet()).doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
      assertThat(key).containsEntry("use", "sig").containsKey("alg");
    }
    assertThat(response.body()).doesNotContain("refresh-key");
  }

  @Test
  void duringRotationPhaseOneBothKeysAreListed() throws Exception {
    JWK current = TestKeys.key("ES256", "k1");
    JWK next = TestKeys.generate("ES256", "k2");
    JwtSession phase1 = engine(Keys.of(current, next.toPublicJWK()));

    List<Map<String, Object>> keys = keysOf(send(serve(phase1), "GET").body());

    assertThat(keys).extracting(k -> k.get("kid")).containsExactlyInAnyOrder("k1", "k2");
  }

  @Test
  void encryptedAccessTokensAreAConfigurationError() {
    JwtSession engine =
        JwtSession.builder()
            .access(
                t ->
                    t.cookieName("app_session")
                        .maxAge(Duration.ofMinutes(5))
                        .keys(Keys.of(TestKeys.key("ES256", "k1")))
                        .encryption(EncryptionKeys.direct("e1", new byte[32])))
            .refresh(
                t ->
                    t.cookieName("app_refresh")
                        .maxAge(Duration.ofDays(7))
                        .secret("test-refresh-secret-that-is-32-bytes-long"))
            .build();

    assertThatThrownBy(() -> new JwksServlet(engine))
        .isInstanceOf(JwtSessionConfigException.class)
        .hasMessageContaining("jwks: access tokens are encrypted");
  }
}
