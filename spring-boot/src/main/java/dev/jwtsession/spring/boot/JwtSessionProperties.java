package dev.jwtsession.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jwt-session.*} properties. Only what a user sets reaches the {@link
 * dev.jwtsession.JwtSession.Builder} (the builder refuses a setting made twice, so a {@link
 * JwtSessionBuilderCustomizer} stays free to set the rest); cookie names and lifetimes always do,
 * because the builder has no default for them.
 *
 * <p>Secrets go only into properties whose names end in {@code secret} (Spring Boot's actuator
 * masks those) or into {@code jwk-set}; {@link #toString()} never prints either.
 */
@ConfigurationProperties(prefix = "jwt-session")
public class JwtSessionProperties {

  private final Token access = Token.withDefaults("jwt_session_access", Duration.ofMinutes(1));

  private final Token refresh = Token.withDefaults("jwt_session_refresh", Duration.ofDays(7));

  private final Reauth reauth = new Reauth();

  private final Rotation rotation = new Rotation();

  private final Redis redis = new Redis();

  private final Csrf csrf = new Csrf();

  private final Filter filter = new Filter();

  private final Jwks jwks = new Jwks();

  /** Clock-skew tolerance for exp, nbf and iat, at most 5 minutes. */
  private Duration leeway = Duration.ofSeconds(5);

  /** Issuer written into every token as iss and required on every token. */
  private String issuer;

  /** Audience written into every token as aud and required on every token. */
  private String audience;

  /** Number of verified access tokens cached; 0 turns the cache off. */
  private int accessCacheSize = 4096;

  /** Largest Cookie header read, in characters; a larger one is ignored (anonymous request). */
  private int maxCookieHeaderLength = 16384;

  private final Set<String> configured = new HashSet<>();

  /** The JWKS endpoint publishing the public access keys. */
  public Jwks getJwks() {
    return jwks;
  }

  /** Settings of the access token and its cookie. */
  public Token getAccess() {
    return access;
  }

  /** Settings of the refresh token and its cookie. */
  public Token getRefresh() {
    return refresh;
  }

  /** Renewal of expired access tokens from valid refresh tokens. */
  public Reauth getReauth() {
    return reauth;
  }

  /** Refresh-token rotation, reuse detection and revocation. */
  public Rotation getRotation() {
    return rotation;
  }

  /** Connection of the Redis refresh-token store. */
  public Redis getRedis() {
    return redis;
  }

  /** Cross-site request check run before the application. */
  public Csrf getCsrf() {
    return csrf;
  }

  /** Registration of the servlet filter. */
  public Filter getFilter() {
    return filter;
  }

  public Duration getLeeway() {
    return leeway;
  }

  public void setLeeway(Duration leeway) {
    configured.add("leeway");
    this.leeway = leeway;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    configured.add("issuer");
    this.issuer = issuer;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    configured.add("audience");
    this.audience = audience;
  }

  public int getAccessCacheSize() {
    return accessCacheSize;
  }

  public void setAccessCacheSize(int accessCacheSize) {
    configured.add("accessCacheSize");
    this.accessCacheSize = accessCacheSize;
  }

  public int getMaxCookieHeaderLength() {
    return maxCookieHeaderLength;
  }

  public void setMaxCookieHeaderLength(int maxCookieHeaderLength) {
    configured.add("maxCookieHeaderLength");
    this.maxCookieHeaderLength = maxCookieHeaderLength;
  }

  /** Whether the top-level property of this builder setting name was set. */
  boolean isConfigured(String setting) {
    return configured.contains(setting);
  }

  /** Names what is configured; secrets, key sets and the Redis URL only as "(set)". */
  @Override
  public String toString() {
    return "JwtSessionProperties[access="
        + access
        + ", refresh="
        + refresh
        + ", reauth.enabled="
        + reauth.enabled
        + ", rotation="
        + rotation
        + ", redis.url="
        + (redis.url == null ? "none" : "(set)")
        + ", csrf.enabled="
        + csrf.enabled
        + ", leeway="
        + leeway
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + "]";
  }

  /** Settings of one token type and its cookie. */
  public static class Token {

    /** Cookie name. */
    private String cookieName;

    /** Cookie Max-Age and token lifetime. */
    private Duration maxAge;

    /** HS256 secret of at least 32 bytes (used as UTF-8); required unless jwk-set is given. */
    private String secret;

    /**
     * JWK Set JSON (as {"keys":[...]}) with the signing key and verification-only keys, instead of
     * secret.
     */
    private String jwkSet;

    /** Key id (kid) of the signing key in jwk-set; needed when it holds several keys. */
    private String signingKeyId;

    /**
     * Keys one by one, instead of secret or jwk-set: each with kid and one of secret, jwk or
     * pem-location; exactly one signs, the others have verify-only=true.
     */
    private List<Key> keys = new ArrayList<>();

    private final Encryption encryption = new Encryption();

    /** Cookie Path. */
    private String path = "/";

    /** Cookie Domain; none makes a host-only cookie, the safest. */
    private String domain;

    /** Whether the cookie is Secure; turn off only for local development over http. */
    private boolean secure = true;

    /** Whether the cookie is HttpOnly, out of reach of scripts. */
    private boolean httpOnly = true;

    /** Cookie SameSite: lax, strict or none (none needs secure). */
    private String sameSite = "lax";

    /** Whether the cookie is Partitioned (CHIPS); needs secure. */
    private boolean partitioned = false;

    private final Set<String> configured = new HashSet<>();

    /** Settings with no defaults for name and lifetime; the properties class gives them. */
    public Token() {}

    public List<Key> getKeys() {
      return keys;
    }

    public void setKeys(List<Key> keys) {
      this.keys = keys;
    }

    /** Encryption of the tokens (compact JWE, dir + A256GCM); off without keys. */
    public Encryption getEncryption() {
      return encryption;
    }

    static Token withDefaults(String cookieName, Duration maxAge) {
      Token token = new Token();
      token.cookieName = cookieName;
      token.maxAge = maxAge;
      return token;
    }

    /** Whether this builder setting (e.g. {@code path}) was set by a property. */
    boolean isConfigured(String setting) {
      return configured.contains(setting);
    }

    public String getCookieName() {
      return cookieName;
    }

    public void setCookieName(String cookieName) {
      configured.add("cookieName");
      this.cookieName = cookieName;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      configured.add("maxAge");
      this.maxAge = maxAge;
    }

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public String getJwkSet() {
      return jwkSet;
    }

    public void setJwkSet(String jwkSet) {
      this.jwkSet = jwkSet;
    }

    public String getSigningKeyId() {
      return signingKeyId;
    }

    public void setSigningKeyId(String signingKeyId) {
      this.signingKeyId = signingKeyId;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      configured.add("path");
      this.path = path;
    }

    public String getDomain() {
      return domain;
    }

    public void setDomain(String domain) {
      configured.add("domain");
      this.domain = domain;
    }

    public boolean isSecure() {
      return secure;
    }

    public void setSecure(boolean secure) {
      configured.add("secure");
      this.secure = secure;
    }

    public boolean isHttpOnly() {
      return httpOnly;
    }

    public void setHttpOnly(boolean httpOnly) {
      configured.add("httpOnly");
      this.httpOnly = httpOnly;
    }

    public String getSameSite() {
      return sameSite;
    }

    public void setSameSite(String sameSite) {
      configured.add("sameSite");
      this.sameSite = sameSite;
    }

    public boolean isPartitioned() {
      return partitioned;
    }

    public void setPartitioned(boolean partitioned) {
      configured.add("partitioned");
      this.partitioned = partitioned;
    }

    /** Names the cookie settings; the secret and the key set only as "(set)". */
    @Override
    public String toString() {
      return "Token[cookieName="
          + cookieName
          + ", maxAge="
          + maxAge
          + ", secret="
          + (secret == null ? "none" : "(set)")
          + ", jwkSet="
          + (jwkSet == null ? "none" : "(set)")
          + ", path="
          + path
          + ", domain="
          + domain
          + ", secure="
          + secure
          + ", httpOnly="
          + httpOnly
          + ", sameSite="
          + sameSite
          + ", partitioned="
          + partitioned
          + "]";
    }
  }

  /** Renewal of expired access tokens. */
  public static class Reauth {

    /**
     * Whether an expired access token is renewed from a valid refresh token; without a Reauth bean
     * the refresh token's user claims are issued again.
     */
    private boolean enabled = true;

    private boolean configured;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      configured = true;
      this.enabled = enabled;
    }

    boolean isConfigured() {
      return configured;
    }
  }

  /** Refresh-token rotation. */
  public static class Rotation {

    /** Whether refresh tokens rotate on each reauth, with reuse detection and revocation. */
    private boolean enabled = false;

    /** Where token families live: memory (one JVM) or redis (several nodes). */
    private String store = "memory";

    /** How long a rotated refresh token still yields the same successor, at most 5 minutes. */
    private Duration reuseGrace = Duration.ofSeconds(5);

    /** Absolute lifetime of a login, never extended by rotation; defaults to refresh max-age. */
    private Duration absoluteLifetime;

    /** Whether every access token is checked against the store, so logout ends sessions at once. */
    private boolean checkAccessRevocation = false;

    private final Set<String> configured = new HashSet<>();

    boolean isConfigured(String setting) {
      return configured.contains(setting);
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getStore() {
      return store;
    }

    public void setStore(String store) {
      configured.add("store");
      this.store = store;
    }

    public Duration getReuseGrace() {
      return reuseGrace;
    }

    public void setReuseGrace(Duration reuseGrace) {
      configured.add("reuseGrace");
      this.reuseGrace = reuseGrace;
    }

    public Duration getAbsoluteLifetime() {
      return absoluteLifetime;
    }

    public void setAbsoluteLifetime(Duration absoluteLifetime) {
      configured.add("absoluteLifetime");
      this.absoluteLifetime = absoluteLifetime;
    }

    public boolean isCheckAccessRevocation() {
      return checkAccessRevocation;
    }

    public void setCheckAccessRevocation(boolean checkAccessRevocation) {
      configured.add("checkAccessRevocation");
      this.checkAccessRevocation = checkAccessRevocation;
    }

    @Override
    public String toString() {
      return "Rotation[enabled="
          + enabled
          + ", store="
          + store
          + ", reuseGrace="
          + reuseGrace
          + ", absoluteLifetime="
          + absoluteLifetime
          + ", checkAccessRevocation="
          + checkAccessRevocation
          + "]";
    }
  }

  /** Connection of the Redis refresh-token store (used with rotation.store=redis). */
  public static class Redis {

    /**
     * Redis URL, e.g. redis://localhost:6379; defaults to spring.data.redis.url, else
     * spring.data.redis.host and port.
     */
    private String url;

    /** How long one store call may wait for Redis before the refresh is refused. */
    private Duration commandTimeout = Duration.ofMillis(500);

    private boolean commandTimeoutConfigured;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
      commandTimeoutConfigured = true;
      this.commandTimeout = commandTimeout;
    }

    boolean isCommandTimeoutConfigured() {
      return commandTimeoutConfigured;
    }
  }

  /** Cross-site request check. */
  public static class Csrf {

    /** Whether cross-site state-changing requests are refused with 403 before the application. */
    private boolean enabled = true;

    /** Origins (scheme://host[:port]) allowed to send state-changing requests besides the own. */
    private List<String> trustedOrigins = new ArrayList<>();

    private final Set<String> configured = new HashSet<>();

    boolean isConfigured(String setting) {
      return configured.contains(setting);
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      configured.add("enabled");
      this.enabled = enabled;
    }

    public List<String> getTrustedOrigins() {
      return trustedOrigins;
    }

    public void setTrustedOrigins(List<String> trustedOrigins) {
      configured.add("trustedOrigins");
      this.trustedOrigins = trustedOrigins;
    }
  }

  /** Registration of the servlet filter. */
  public static class Filter {

    /** Order of the filter; -101 runs it just before Spring Security's filter chain (-100). */
    private int order = -101;

    /** URL patterns the filter is mapped to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    public int getOrder() {
      return order;
    }

    public void setOrder(int order) {
      this.order = order;
    }

    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }
  }

  /** The JWKS endpoint: the public keys of the access tokens, for other services to verify them. */
  public static class Jwks {

    /**
     * Whether the public access keys are published as a JWK Set (needs RSA, EC or Ed25519 keys).
     */
    private boolean enabled = false;

    /** Path the JWK Set is served at. */
    private String path = "/.well-known/jwks.json";

    /** Cache-Control max-age of the JWK Set; consumers may keep it this long. */
    private Duration maxAge = Duration.ofMinutes(5);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }

  /** One signing or verification key of jwt-session.access.keys / refresh.keys. */
  public static class Key {

    private String kid;
    private String secret;
    private String jwk;
    private String pemLocation;
    private boolean verifyOnly;

    /** Key id (kid) written into the tokens this key signs. */
    public String getKid() {
      return kid;
    }

    public void setKid(String kid) {
      this.kid = kid;
    }

    /** HS256 secret of at least 32 bytes (used as UTF-8). */
    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    /** One JWK as JSON (RSA, EC, Ed25519 or oct); a public JWK only verifies. */
    public String getJwk() {
      return jwk;
    }

    public void setJwk(String jwk) {
      this.jwk = jwk;
    }

    /** Location (file:, classpath:) of a PKCS#8 PEM private key (RSA, EC or Ed25519). */
    public String getPemLocation() {
      return pemLocation;
    }

    public void setPemLocation(String pemLocation) {
      this.pemLocation = pemLocation;
    }

    /** Whether this key only verifies (an older or a next key during a rotation). */
    public boolean isVerifyOnly() {
      return verifyOnly;
    }

    public void setVerifyOnly(boolean verifyOnly) {
      this.verifyOnly = verifyOnly;
    }
  }

  /** Encryption keys of one token type: the first encrypts, the others only decrypt. */
  public static class Encryption {

    /** Encryption keys, each with kid and key (32 bytes, base64); the first encrypts. */
    private List<EncryptionKey> keys = new ArrayList<>();

    public List<EncryptionKey> getKeys() {
      return keys;
    }

    public void setKeys(List<EncryptionKey> keys) {
      this.keys = keys;
    }
  }

  /** One A256GCM key of jwt-session.access.encryption.keys / refresh.encryption.keys. */
  public static class EncryptionKey {

    private String kid;
    private String key;

    /** Key id (kid) written into the tokens this key encrypts. */
    public String getKid() {
      return kid;
    }

    public void setKid(String kid) {
      this.kid = kid;
    }

    /** 32 random bytes in base64, e.g. the output of openssl rand -base64 32. */
    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}
