package dev.jwtsession.spring.boot;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jwtsession.EncryptionKeys;
import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.Keys;
import dev.jwtsession.LoggingListener;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import dev.jwtsession.SameSite;
import dev.jwtsession.SessionListener;
import dev.jwtsession.TokenSettings;
import dev.jwtsession.spi.RefreshTokenStore;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the {@link JwtSession} from the properties and the application's beans, collecting every
 * problem (property ones and the builder's) into one {@link JwtSessionConfigException} named by
 * property.
 */
final class EngineFactory {

  static final String REDIS_STORE_CLASS = "dev.jwtsession.redis.RedisRefreshTokenStore";

  /** A bean with its name, for messages. */
  record Named<T>(String name, T bean) {}

  private final JwtSessionProperties properties;
  private final List<Named<Reauth>> reauths;
  private final List<Named<RefreshTokenStore>> stores;
  private final List<SessionListener> listeners;
  private final List<Named<JwtSessionBuilderCustomizer>> customizers;
  private final boolean redisOnClasspath;
  private List<EngineDecorator> decorators = List.of();

  EngineFactory(
      JwtSessionProperties properties,
      List<Named<Reauth>> reauths,
      List<Named<RefreshTokenStore>> stores,
      List<SessionListener> listeners,
      List<Named<JwtSessionBuilderCustomizer>> customizers,
      boolean redisOnClasspath) {
    this.properties = properties;
    this.reauths = reauths;
    this.stores = stores;
    this.listeners = listeners;
    this.customizers = customizers;
    this.redisOnClasspath = redisOnClasspath;
  }

  /** Wraps the store and the {@code Reauth} the engine is built with; returns this factory. */
  EngineFactory decorators(List<EngineDecorator> decorators) {
    this.decorators = List.copyOf(decorators);
    return this;
  }

  private Reauth decorated(Reauth reauth) {
    Reauth result = reauth;
    for (EngineDecorator decorator : decorators) {
      result = decorator.reauth(result);
    }
    return result;
  }

  private RefreshTokenStore decorated(RefreshTokenStore store) {
    RefreshTokenStore result = store;
    for (EngineDecorator decorator : decorators) {
      result = decorator.store(result);
    }
    return result;
  }

  /** The engine, or a {@link JwtSessionConfigException} listing every problem. */
  JwtSession create() {
    List<String> problems = new ArrayList<>(propertyProblems(properties));
    problems.addAll(beanProblems());
    Map<String, String> origins = new LinkedHashMap<>();
    JwtSession.Builder builder = JwtSession.builder();
    apply(builder, origins);
    for (Named<JwtSessionBuilderCustomizer> customizer : customizers) {
      customizer.bean().customize(builder);
    }
    try {
      JwtSession engine = builder.build();
      if (problems.isEmpty()) {
        return engine;
      }
    } catch (JwtSessionConfigException e) {
      Set<String> covered = new HashSet<>();
      for (String problem : problems) {
        covered.add(PropertyNames.settingOf(problem));
      }
      for (String problem : e.problems()) {
        String setting = PropertyNames.settingOf(problem);
        if (problem.contains(": is set more than once")) {
          problems.add(twice(setting, origins));
        } else if (!coveredByPropertyProblem(setting, covered)) {
          problems.add(PropertyNames.translate(problem));
        }
      }
    }
    throw new JwtSessionConfigException(problems);
  }

  /** Whether a builder problem repeats one the property checks already reported. */
  private static boolean coveredByPropertyProblem(String setting, Set<String> covered) {
    String property = PropertyNames.property(setting);
    if (property == null) {
      return false;
    }
    if (covered.contains(property)) {
      return true;
    }
    // A key problem is reported once, whichever of secret, jwk-set, signing-key-id it names.
    for (String token : List.of("access", "refresh")) {
      String base = PropertyNames.PREFIX + token + ".";
      if ((setting.equals(token + ".secret") || setting.equals(token + ".keys"))
          && (covered.contains(base + "secret")
              || covered.contains(base + "jwk-set")
              || covered.contains(base + "signing-key-id"))) {
        return true;
      }
    }
    return false;
  }

  /** Names both parties of a setting made twice: a property or bean, and a customizer. */
  private String twice(String setting, Map<String, String> origins) {
    String culprits = customizersSetting(setting);
    String first = origins.get(setting);
    String property = PropertyNames.property(setting);
    String name = property == null ? setting : property;
    if (first == null) {
      return name
          + ": is set more than once, by the JwtSessionBuilderCustomizer beans "
          + culprits
          + ". Let only one of them set it.";
    }
    return name
        + ": is set by "
        + first
        + " and again by the JwtSessionBuilderCustomizer "
        + culprits
        + ". Remove one of the two (builder setting "
        + setting
        + ").";
  }

  /** The customizers that set {@code setting} over the properties, found by trying each alone. */
  private String customizersSetting(String setting) {
    List<String> names = new ArrayList<>();
    for (Named<JwtSessionBuilderCustomizer> customizer : customizers) {
      JwtSession.Builder probe = JwtSession.builder();
      apply(probe, new LinkedHashMap<>());
      customizer.bean().customize(probe);
      try {
        probe.build();
      } catch (JwtSessionConfigException e) {
        if (e.problems().stream()
            .anyMatch(p -> p.startsWith(setting + ": is set more than once"))) {
          names.add("'" + customizer.name() + "'");
        }
      }
    }
    if (names.isEmpty()) {
      for (Named<JwtSessionBuilderCustomizer> customizer : customizers) {
        names.add("'" + customizer.name() + "'");
      }
    }
    return String.join(", ", names);
  }

  // ---- checks of the properties alone (also run before the Redis store is built)

  static List<String> propertyProblems(JwtSessionProperties properties) {
    List<String> problems = new ArrayList<>();
    for (String token : List.of("access", "refresh")) {
      JwtSessionProperties.Token t =
          token.equals("access") ? properties.getAccess() : properties.getRefresh();
      keys(token, t, problems);
      KeyProperties.encryption(
          PropertyNames.PREFIX + token + ".", t.getEncryption().getKeys(), problems);
      if (sameSite(t.getSameSite()) == null) {
        problems.add(
            PropertyNames.PREFIX
                + token
                + ".same-site: '"
                + t.getSameSite()
                + "' is not a SameSite value. Use lax, strict or none");
      }
    }
    JwtSessionProperties.Rotation rotation = properties.getRotation();
    String store = rotation.getStore() == null ? "" : rotation.getStore().toLowerCase(Locale.ROOT);
    if (!store.equals("memory") && !store.equals("redis")) {
      problems.add(
          "jwt-session.rotation.store: '"
              + rotation.getStore()
              + "' is not a store. Use memory (one JVM) or redis (several nodes)");
    }
    return problems;
  }

  private List<String> beanProblems() {
    List<String> problems = new ArrayList<>();
    JwtSessionProperties.Rotation rotation = properties.getRotation();
    boolean redis = "redis".equalsIgnoreCase(rotation.getStore());
    if (reauths.size() > 1) {
      problems.add(
          "jwt-session.reauth.enabled: there are "
              + reauths.size()
              + " Reauth beans ("
              + names(reauths)
              + "). Keep one, or mark one @Primary");
    }
    if (!reauths.isEmpty() && !properties.getReauth().isEnabled()) {
      problems.add(
          "jwt-session.reauth.enabled: is false, yet there is a Reauth bean ("
              + names(reauths)
              + "). Remove the bean, or the property");
    }
    if (stores.size() > 1) {
      problems.add(
          "jwt-session.rotation.store: there are "
              + stores.size()
              + " RefreshTokenStore beans ("
              + names(stores)
              + "). Keep one");
    }
    if (!rotation.isEnabled()) {
      if (!stores.isEmpty()) {
        problems.add(
            "jwt-session.rotation.enabled: is false, yet there is a RefreshTokenStore bean ("
                + names(stores)
                + "). Set jwt-session.rotation.enabled=true, or remove the bean");
      }
      for (String setting :
          List.of("store", "reuseGrace", "absoluteLifetime", "checkAccessRevocation")) {
        if (rotation.isConfigured(setting) && !(setting.equals("store") && !stores.isEmpty())) {
          problems.add(
              "jwt-session.rotation.enabled: is false, yet "
                  + PropertyNames.property("rotation." + setting)
                  + " is set. Set jwt-session.rotation.enabled=true, or remove the setting");
        }
      }
    } else if (redis && stores.isEmpty() && !redisOnClasspath) {
      problems.add(
          "jwt-session.rotation.store: is redis, but jwt-session-redis is not on the classpath."
              + " Add the dependency dev.jwtsession:jwt-session-redis, or use"
              + " jwt-session.rotation.store=memory");
    }
    return problems;
  }

  private static String names(List<? extends Named<?>> beans) {
    List<String> names = new ArrayList<>();
    for (Named<?> bean : beans) {
      names.add("'" + bean.name() + "'");
    }
    return String.join(", ", names);
  }

  private static SameSite sameSite(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "lax" -> SameSite.LAX;
      case "strict" -> SameSite.STRICT;
      case "none" -> SameSite.NONE;
      default -> null;
    };
  }

  /** The keys of one token type from secret or jwk-set; {@code null} with a problem recorded. */
  static Keys keys(String token, JwtSessionProperties.Token t, List<String> problems) {
    String base = PropertyNames.PREFIX + token + ".";
    String secret = t.getSecret();
    String jwkSet = t.getJwkSet();
    if (!t.getKeys().isEmpty()) {
      if (secret != null || jwkSet != null) {
        problems.add(
            base
                + "keys: is set together with "
                + base
                + (secret != null ? "secret" : "jwk-set")
                + ". Give the keys one way only");
        return null;
      }
      return KeyProperties.keys(base, t.getKeys(), problems);
    }
    if (secret != null && jwkSet != null) {
      problems.add(
          base
              + "secret: is set together with "
              + base
              + "jwk-set. Set only one of the two (a secret for HS256, a JWK Set for other keys)");
      return null;
    }
    if (secret != null) {
      if (t.getSigningKeyId() != null) {
        problems.add(
            base
                + "signing-key-id: is set, but the key is a secret. Remove it, or use "
                + base
                + "jwk-set");
      }
      return Keys.hmac(secret);
    }
    if (jwkSet == null) {
      problems.add(
          base
              + "secret: is missing. Set it to a random secret of 32 or more bytes, e.g. "
              + base
              + "secret=${JWT_SESSION_"
              + token.toUpperCase(Locale.ROOT)
              + "_SECRET} with the environment variable holding `openssl rand -base64 32`, or set "
              + base
              + "jwk-set");
      return null;
    }
    List<JWK> all;
    try {
      all = JWKSet.parse(jwkSet).getKeys();
    } catch (ParseException | RuntimeException e) {
      // Never the parser's message: it may quote key material.
      problems.add(
          base + "jwk-set: is not a JWK Set. Give JSON of the form {\"keys\":[{...},...]}");
      return null;
    }
    if (all.isEmpty()) {
      problems.add(base + "jwk-set: holds no key. Add the signing key");
      return null;
    }
    JWK signing = null;
    String kid = t.getSigningKeyId();
    if (kid != null) {
      for (JWK key : all) {
        if (kid.equals(key.getKeyID())) {
          signing = key;
        }
      }
      if (signing == null) {
        problems.add(
            base
                + "signing-key-id: no key in "
                + base
                + "jwk-set has kid '"
                + kid
                + "'. Use the kid of the signing key");
        return null;
      }
    } else if (all.size() == 1) {
      signing = all.get(0);
    } else {
      problems.add(
          base
              + "signing-key-id: is missing while "
              + base
              + "jwk-set holds "
              + all.size()
              + " keys. Set it to the kid of the key that signs");
      return null;
    }
    List<JWK> others = new ArrayList<>(all);
    others.remove(signing);
    return Keys.of(signing, others.toArray(JWK[]::new));
  }

  // ---- applying what is configured

  /**
   * Applies the properties and beans to {@code builder}, recording in {@code origins} which builder
   * setting came from where. Invalid properties are left out: {@link #propertyProblems} reports
   * them.
   */
  private void apply(JwtSession.Builder builder, Map<String, String> origins) {
    List<String> scratch = new ArrayList<>();
    token(builder, "access", properties.getAccess(), origins, scratch);
    token(builder, "refresh", properties.getRefresh(), origins, scratch);

    Optional<Named<Reauth>> reauth = reauths.stream().findFirst();
    if (reauth.isPresent()) {
      builder.reauth(decorated(reauth.get().bean()));
      origins.put("reauth", "the Reauth bean '" + reauth.get().name() + "'");
    } else if (properties.getReauth().isEnabled()) {
      builder.reauth(
          decorated(
              refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()))));
      origins.put(
          "reauth",
          "jwt-session.reauth.enabled (default true: the refresh token's claims are issued again;"
              + " give a Reauth bean instead)");
    }

    SessionListener listener = new LoggingListener(); // the engine's default
    if (!listeners.isEmpty()) {
      List<SessionListener> all = new ArrayList<>(listeners);
      all.add(new LoggingListener());
      listener = SessionListener.composite(all.toArray(SessionListener[]::new));
      builder.listener(listener);
      origins.put("listener", "the SessionListener beans");
    }
    SessionListener engineListener = listener;

    JwtSessionProperties.Rotation rotation = properties.getRotation();
    if (rotation.isEnabled()) {
      builder.rotation(
          r -> {
            if (!stores.isEmpty()) {
              Named<RefreshTokenStore> store = stores.get(0);
              r.store(decorated(store.bean()));
              origins.put("rotation.store", "the RefreshTokenStore bean '" + store.name() + "'");
            } else if (!decorators.isEmpty()) {
              // The builder's default store, made here so that it can be wrapped; like the
              // builder's own, it reports evictions to the engine's listener.
              r.store(
                  decorated(InMemoryRefreshTokenStore.builder().listener(engineListener).build()));
              origins.put("rotation.store", "jwt-session.rotation.store (default memory)");
            }
            if (rotation.isConfigured("reuseGrace") && rotation.getReuseGrace() != null) {
              r.reuseGrace(rotation.getReuseGrace());
              origins.put("rotation.reuseGrace", "the property jwt-session.rotation.reuse-grace");
            }
            if (rotation.isConfigured("absoluteLifetime")
                && rotation.getAbsoluteLifetime() != null) {
              r.absoluteLifetime(rotation.getAbsoluteLifetime());
              origins.put(
                  "rotation.absoluteLifetime",
                  "the property jwt-session.rotation.absolute-lifetime");
            }
            if (rotation.isConfigured("checkAccessRevocation")) {
              r.checkAccessRevocation(rotation.isCheckAccessRevocation());
              origins.put(
                  "rotation.checkAccessRevocation",
                  "the property jwt-session.rotation.check-access-revocation");
            }
          });
    }

    JwtSessionProperties.Csrf csrf = properties.getCsrf();
    if (csrf.isConfigured("enabled") || csrf.isConfigured("trustedOrigins")) {
      builder.csrf(
          c -> {
            if (csrf.isConfigured("enabled")) {
              c.enabled(csrf.isEnabled());
              origins.put("csrf.enabled", "the property jwt-session.csrf.enabled");
            }
            if (csrf.isConfigured("trustedOrigins") && csrf.getTrustedOrigins() != null) {
              c.trustedOrigins(csrf.getTrustedOrigins().toArray(String[]::new));
              origins.put("csrf.trustedOrigins", "the property jwt-session.csrf.trusted-origins");
            }
          });
    }

    if (properties.isConfigured("leeway") && properties.getLeeway() != null) {
      builder.leeway(properties.getLeeway());
      origins.put("leeway", "the property jwt-session.leeway");
    }
    if (properties.isConfigured("issuer") && properties.getIssuer() != null) {
      builder.issuer(properties.getIssuer());
      origins.put("issuer", "the property jwt-session.issuer");
    }
    if (properties.isConfigured("audience") && properties.getAudience() != null) {
      builder.audience(properties.getAudience());
      origins.put("audience", "the property jwt-session.audience");
    }
    if (properties.isConfigured("accessCacheSize")) {
      builder.accessCacheSize(properties.getAccessCacheSize());
      origins.put("accessCacheSize", "the property jwt-session.access-cache-size");
    }
    if (properties.isConfigured("maxCookieHeaderLength")) {
      builder.maxCookieHeaderLength(properties.getMaxCookieHeaderLength());
      origins.put("maxCookieHeaderLength", "the property jwt-session.max-cookie-header-length");
    }
  }

  private static void token(
      JwtSession.Builder builder,
      String token,
      JwtSessionProperties.Token t,
      Map<String, String> origins,
      List<String> scratch) {
    String base = PropertyNames.PREFIX + token + ".";
    Keys keys = keys(token, t, scratch);
    EncryptionKeys encryption =
        KeyProperties.encryption(base, t.getEncryption().getKeys(), scratch);
    SameSite sameSite = sameSite(t.getSameSite());
    Consumer<TokenSettings.Builder> settings =
        s -> {
          if (t.getCookieName() != null) {
            s.cookieName(t.getCookieName());
            origins.put(
                token + ".cookieName",
                "the property "
                    + base
                    + "cookie-name"
                    + (t.isConfigured("cookieName") ? "" : " (default " + t.getCookieName() + ")"));
          }
          if (t.getMaxAge() != null) {
            s.maxAge(t.getMaxAge());
            origins.put(
                token + ".maxAge",
                "the property "
                    + base
                    + "max-age"
                    + (t.isConfigured("maxAge") ? "" : " (default " + t.getMaxAge() + ")"));
          }
          if (keys != null) {
            s.keys(keys);
            origins.put(
                token + ".secret",
                "the property "
                    + base
                    + (t.getSecret() != null
                        ? "secret"
                        : t.getKeys().isEmpty() ? "jwk-set" : "keys"));
          }
          if (encryption != null) {
            s.encryption(encryption);
            origins.put(token + ".encryption", "the property " + base + "encryption.keys");
          }
          if (t.isConfigured("path") && t.getPath() != null) {
            s.path(t.getPath());
            origins.put(token + ".path", "the property " + base + "path");
          }
          if (t.isConfigured("domain") && t.getDomain() != null) {
            s.domain(t.getDomain());
            origins.put(token + ".domain", "the property " + base + "domain");
          }
          if (t.isConfigured("secure")) {
            s.secure(t.isSecure());
            origins.put(token + ".secure", "the property " + base + "secure");
          }
          if (t.isConfigured("httpOnly")) {
            s.httpOnly(t.isHttpOnly());
            origins.put(token + ".httpOnly", "the property " + base + "http-only");
          }
          if (t.isConfigured("sameSite") && sameSite != null) {
            s.sameSite(sameSite);
            origins.put(token + ".sameSite", "the property " + base + "same-site");
          }
          if (t.isConfigured("partitioned")) {
            s.partitioned(t.isPartitioned());
            origins.put(token + ".partitioned", "the property " + base + "partitioned");
          }
        };
    if (token.equals("access")) {
      builder.access(settings);
    } else {
      builder.refresh(settings);
    }
  }
}
