package dev.jwtsession.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Keys;
import dev.jwtsession.Payloads;
import dev.jwtsession.fixtures.RecordingCookieSink;
import dev.jwtsession.fixtures.SelfSigned;
import dev.jwtsession.testkit.ReadmeRegions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Keys and rotation" code works as shown: every loader builds an engine that signs
 * and verifies, the encrypted configuration round-trips, and a consumer verifies our access token
 * from the {@code JwksServlet} alone; and every tagged region of {@link KeysReadmeSnippets} appears
 * verbatim in README.md.
 */
class KeysReadmeSnippetsTest {

  static final String REFRESH = "readme-refresh-secret-of-32-bytes-or-more";

  @TempDir Path dir;

  static JwtSession engine(Keys accessKeys) {
    return JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(15)).keys(accessKeys))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(REFRESH))
        .build();
  }

  static String login(JwtSession engine) {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "j@doe")));
    return sink.value("app_session").orElseThrow();
  }

  static void assertWorks(JwtSession engine) {
    String token = login(engine);
    assertThat(engine.resolve("app_session=" + token, new RecordingCookieSink()).subject())
        .contains("j@doe");
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  @Test
  void everyLoaderShownInTheReadmeBuildsAWorkingEngine() throws Exception {
    assertWorks(
        engine(
            KeysReadmeSnippets.hmacRotation(
                "readme-access-secret-of-32-bytes-or-more",
                "readme-old-secret-of-32-bytes-or-more")));

    KeyPair current = ec();
    Files.writeString(
        dir.resolve("access-2026-12.key.pem"),
        pem("PRIVATE KEY", current.getPrivate().getEncoded()));
    Files.writeString(
        dir.resolve("access-2026-06.pub.pem"), pem("PUBLIC KEY", ec().getPublic().getEncoded()));
    assertWorks(engine(KeysReadmeSnippets.pem(dir)));

    char[] password = "readme-store-password".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "access-2026-12",
        current.getPrivate(),
        password,
        new Certificate[] {SelfSigned.certificate(current)});
    store.setCertificateEntry("access-2026-06", SelfSigned.certificate(ec()));
    Path storePath = dir.resolve("keys.p12");
    try (OutputStream out = Files.newOutputStream(storePath)) {
      store.store(out, password);
    }
    assertWorks(engine(KeysReadmeSnippets.keyStore(storePath, password)));

    JWK signing = new ECKeyGenerator(Curve.P_256).keyID("2026-12").generate();
    JWK older = new ECKeyGenerator(Curve.P_256).keyID("2026-06").generate();
    Path jwkSet = dir.resolve("jwks.json");
    Files.writeString(jwkSet, new JWKSet(List.of(signing, older)).toString(false));
    assertWorks(engine(KeysReadmeSnippets.jwkSet(jwkSet)));
  }

  @Test
  void encryptedConfigurationRoundTrips() {
    JwtSession sessions =
        KeysReadmeSnippets.encrypted(
            Keys.hmac("readme-access-secret-of-32-bytes-or-more"),
            REFRESH,
            Base64.getEncoder().encodeToString(new byte[32]));
    assertWorks(sessions);
    assertThat(login(sessions).split("\\.", -1)).hasSize(5);
  }

  @Test
  void consumerVerifiesOurAccessTokenFromTheJwksServletAlone() throws Exception {
    JwtSession sessions =
        engine(Keys.of(new ECKeyGenerator(Curve.P_256).keyID("2026-12").generate()));
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    KeysReadmeSnippets.jwks(context, sessions);
    server.setHandler(context);
    server.start();
    try {
      KeysReadmeSnippets.jwksUrl =
          "http://127.0.0.1:" + connector.getLocalPort() + "/.well-known/jwks.json";
      assertThat(KeysReadmeSnippets.verifyElsewhere(login(sessions)).getSubject())
          .isEqualTo("j@doe");
    } finally {
      server.stop();
    }
  }

  @Test
  void everyKeysRegionAppearsVerbatimInTheReadme() throws Exception {
    List<String> names =
        ReadmeRegions.assertInReadme(
            Path.of("src/test/java/dev/jwtsession/servlet/quickstart/KeysReadmeSnippets.java"),
            Path.of("../README.md"),
            1);
    assertThat(names)
        .contains(
            "keys-hmac",
            "keys-pem",
            "keys-keystore",
            "keys-jwkset",
            "encryption",
            "jwks-servlet",
            "jwks-consumer");
  }
}
