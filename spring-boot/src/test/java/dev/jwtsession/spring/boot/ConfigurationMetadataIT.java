package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The IDE metadata in the built {@code jwt-session-spring-boot} jar (run by Failsafe after {@code
 * package}): every property with a description and its default, and the value hints.
 */
class ConfigurationMetadataIT {

  /** Each property of the table with its default ({@code null}: none). */
  static final Map<String, Object> PROPERTIES = new HashMap<>();

  static {
    for (String token : List.of("access", "refresh")) {
      String p = "jwt-session." + token + ".";
      PROPERTIES.put(p + "cookie-name", "jwt_session_" + token);
      PROPERTIES.put(p + "max-age", token.equals("access") ? "1m" : "7d");
      PROPERTIES.put(p + "secret", null);
      PROPERTIES.put(p + "jwk-set", null);
      PROPERTIES.put(p + "signing-key-id", null);
      PROPERTIES.put(p + "keys", null);
      PROPERTIES.put(p + "encryption.keys", null);
      PROPERTIES.put(p + "path", "/");
      PROPERTIES.put(p + "domain", null);
      PROPERTIES.put(p + "secure", true);
      PROPERTIES.put(p + "http-only", true);
      PROPERTIES.put(p + "same-site", "lax");
      PROPERTIES.put(p + "partitioned", false);
    }
    PROPERTIES.put("jwt-session.reauth.enabled", true);
    PROPERTIES.put("jwt-session.rotation.enabled", false);
    PROPERTIES.put("jwt-session.rotation.store", "memory");
    PROPERTIES.put("jwt-session.rotation.reuse-grace", "5s");
    PROPERTIES.put("jwt-session.rotation.absolute-lifetime", null);
    PROPERTIES.put("jwt-session.rotation.check-access-revocation", false);
    PROPERTIES.put("jwt-session.redis.url", null);
    PROPERTIES.put("jwt-session.redis.command-timeout", "500ms");
    PROPERTIES.put("jwt-session.csrf.enabled", true);
    PROPERTIES.put("jwt-session.csrf.trusted-origins", List.of());
    PROPERTIES.put("jwt-session.leeway", "5s");
    PROPERTIES.put("jwt-session.issuer", null);
    PROPERTIES.put("jwt-session.audience", null);
    PROPERTIES.put("jwt-session.access-cache-size", 4096);
    PROPERTIES.put("jwt-session.max-cookie-header-length", 16384);
    PROPERTIES.put("jwt-session.filter.order", -101);
    PROPERTIES.put("jwt-session.filter.url-patterns", List.of("/*"));
    PROPERTIES.put("jwt-session.jwks.enabled", false);
    PROPERTIES.put("jwt-session.jwks.path", "/.well-known/jwks.json");
    PROPERTIES.put("jwt-session.jwks.max-age", "5m");
    PROPERTIES.put("jwt-session.metrics.enabled", true);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata() throws Exception {
    Path jar =
        Path.of(
            JwtSessionProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(jar.getFileName().toString()).as("the built jar").endsWith(".jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry("META-INF/spring-configuration-metadata.json");
      assertThat(entry).as("metadata in %s", jar).isNotNull();
      try (InputStream in = file.getInputStream(entry)) {
        return JsonParserFactory.getJsonParser()
            .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyPropertyHasADescriptionAndItsDefault() throws Exception {
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Object property : (List<Object>) metadata().get("properties")) {
      Map<String, Object> p = (Map<String, Object>) property;
      byName.put((String) p.get("name"), p);
    }

    assertThat(byName).containsKeys(PROPERTIES.keySet().toArray(String[]::new));
    PROPERTIES.forEach(
        (name, expectedDefault) -> {
          Map<String, Object> p = byName.get(name);
          assertThat((String) p.get("description")).as(name).isNotBlank();
          assertThat(String.valueOf(p.get("description")))
              .as(name + " starts without an article")
              .doesNotStartWith("The ")
              .doesNotStartWith("A ");
          if (Boolean.class.getName().equals(p.get("type")) || "boolean".equals(p.get("type"))) {
            assertThat((String) p.get("description")).as(name).startsWith("Whether");
          }
          assertThat(p.get("defaultValue")).as(name + " default").isEqualTo(expectedDefault);
        });
    assertThat(byName.get("jwt-session.access.max-age").get("type"))
        .isEqualTo("java.time.Duration");
  }

  @Test
  @SuppressWarnings("unchecked")
  void sameSiteAndStoreHaveValueHints() throws Exception {
    Map<String, List<Object>> hints = new HashMap<>();
    for (Object hint : (List<Object>) metadata().get("hints")) {
      Map<String, Object> h = (Map<String, Object>) hint;
      hints.put(
          (String) h.get("name"),
          ((List<Object>) h.get("values"))
              .stream().map(v -> ((Map<String, Object>) v).get("value")).toList());
    }

    assertThat(hints.get("jwt-session.access.same-site")).containsExactly("lax", "strict", "none");
    assertThat(hints.get("jwt-session.refresh.same-site")).containsExactly("lax", "strict", "none");
    assertThat(hints.get("jwt-session.rotation.store")).containsExactly("memory", "redis");
  }
}
