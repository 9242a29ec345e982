package dev.jwtsession.servlet.quickstart;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Keys;
import dev.jwtsession.servlet.JwksServlet;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The README's "Keys and rotation" snippets, compiled and run by {@code KeysReadmeSnippetsTest},
 * which also checks that every tagged region appears in README.md verbatim.
 */
// spotless:off (laid out for the README, which shows these regions verbatim)
final class KeysReadmeSnippets {

  private KeysReadmeSnippets() {}

  static Keys hmacRotation(String accessSecret, String oldAccessSecret) {
    // tag::keys-hmac[]
    Keys accessKeys = Keys.hmac("2026-12", accessSecret)
        .withVerificationOnly(Keys.hmac("2026-06", oldAccessSecret));
    // end::keys-hmac[]
    return accessKeys;
  }

  static Keys pem(Path dir) throws Exception {
    // tag::keys-pem[]
    Keys accessKeys = Keys.fromPem("2026-12",
        Files.readString(dir.resolve("access-2026-12.key.pem")),   // PKCS#8: RSA, EC or Ed25519
        Files.readString(dir.resolve("access-2026-06.pub.pem")));  // verification only
    // end::keys-pem[]
    return accessKeys;
  }

  static Keys keyStore(Path keyStorePath, char[] password) throws Exception {
    // tag::keys-keystore[]
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStorePath)) {
      store.load(in, password);
    }
    Keys accessKeys = Keys.fromKeyStore(store, "access-2026-12", password, "access-2026-06");
    // end::keys-keystore[]
    return accessKeys;
  }

  static Keys jwkSet(Path jwkSetPath) throws Exception {
    // tag::keys-jwkset[]
    Keys accessKeys = Keys.fromJwkSet(Files.readString(jwkSetPath), "2026-12");
    // end::keys-jwkset[]
    return accessKeys;
  }

  static JwtSession encrypted(Keys accessKeys, String refreshSecret, String accessEncryptionKey) {
    // tag::encryption[]
    JwtSession sessions = JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(15))
            .keys(accessKeys)
            .encryption(EncryptionKeys.direct("enc-2026-12",
                Base64.getDecoder().decode(accessEncryptionKey))))   // 32 bytes, base64
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(refreshSecret))
        .build();
    // end::encryption[]
    return sessions;
  }

  static void jwks(ServletContextHandler context, JwtSession sessions) {
    // tag::jwks-servlet[]
    context.addServlet(new ServletHolder(new JwksServlet(sessions)), "/.well-known/jwks.json");
    // end::jwks-servlet[]
  }

  static JWTClaimsSet verifyElsewhere(String accessToken) throws Exception {
    // tag::jwks-consumer[]
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        JWKSourceBuilder.create(new URL(jwksUrl)).build()));   // caches the keys, refetches on a new kid
    JWTClaimsSet claims = processor.process(accessToken, null);
    // end::jwks-consumer[]
    return claims;
  }

  static String jwksUrl = "http://127.0.0.1:8080/.well-known/jwks.json";
}
// spotless:on
