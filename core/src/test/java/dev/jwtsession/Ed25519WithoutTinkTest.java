package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.jwtsession.fixtures.TestKeys;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Tink is an optional dependency: an application that configures an Ed25519 key without it gets a
 * configuration error at {@code build()} naming the Maven coordinates, not a {@code
 * NoClassDefFoundError} on the first request. Proven by loading jwt-session and Nimbus (and nothing
 * else) in a class loader of their own.
 */
class Ed25519WithoutTinkTest {

  @Test
  void ed25519KeyWithoutTinkFailsBuildNamingTheDependencyToAdd() throws Exception {
    URL core = JwtSession.class.getProtectionDomain().getCodeSource().getLocation();
    URL nimbus = JWK.class.getProtectionDomain().getCodeSource().getLocation();
    String keyJson = TestKeys.key("EdDSA", "ed").toJSONString();
    try (URLClassLoader isolated =
        new URLClassLoader(new URL[] {core, nimbus}, ClassLoader.getPlatformClassLoader())) {
      assertThat(isolated.getResource("com/google/crypto/tink/subtle/Ed25519Sign.class")).isNull();
      Class<?> jwkClass = isolated.loadClass("com.nimbusds.jose.jwk.JWK");
      Object jwk = jwkClass.getMethod("parse", String.class).invoke(null, keyJson);
      Class<?> keysClass = isolated.loadClass("dev.jwtsession.Keys");
      Object keys =
          keysClass
              .getMethod("of", jwkClass, Array.newInstance(jwkClass, 0).getClass())
              .invoke(null, jwk, Array.newInstance(jwkClass, 0));
      Object builder =
          isolated.loadClass("dev.jwtsession.JwtSession").getMethod("builder").invoke(null);
      Consumer<Object> access =
          t -> {
            call(t, "cookieName", String.class, "app_session");
            call(t, "maxAge", Duration.class, Duration.ofMinutes(1));
            call(t, "keys", keysClass, keys);
          };
      Consumer<Object> refresh =
          t -> {
            call(t, "cookieName", String.class, "app_refresh");
            call(t, "maxAge", Duration.class, Duration.ofDays(1));
            call(t, "secret", String.class, "test-refresh-secret-that-is-32-bytes-long");
          };
      builder.getClass().getMethod("access", Consumer.class).invoke(builder, access);
      builder.getClass().getMethod("refresh", Consumer.class).invoke(builder, refresh);

      Throwable error;
      try {
        builder.getClass().getMethod("build").invoke(builder);
        error = null;
      } catch (InvocationTargetException e) {
        error = e.getCause();
      }

      assertThat(error).isNotNull();
      assertThat(error.getClass().getName()).isEqualTo("dev.jwtsession.JwtSessionConfigException");
      assertThat(error.getMessage())
          .contains("access.keys: Ed25519 needs Google Tink")
          .contains("com.google.crypto.tink:tink:1.23.0");
    }
  }

  private static void call(Object target, String name, Class<?> type, Object argument) {
    try {
      Method method = target.getClass().getMethod(name, type);
      method.invoke(target, argument);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
