package dev.jwtsession;

import dev.jwtsession.internal.Problems;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one token type (access or refresh): its cookie and its keys. Immutable; built
 * through {@link JwtSession.Builder#access} and {@link JwtSession.Builder#refresh}.
 *
 * <p>The token's lifetime is the cookie's {@code maxAge}: {@code exp = iat + maxAge}, so a token
 * never outlives its cookie.
 */
public final class TokenSettings {

  /**
   * The largest cookie ({@code name=value}) browsers are required to keep: 4096 bytes (RFC 6265
   * §6.1).
   */
  public static final int MAX_COOKIE_BYTES = 4096;

  private final String cookieName;
  private final CookieOptions cookie;
  private final Keys keys;
  private final @Nullable EncryptionKeys encryption;

  private TokenSettings(
      String cookieName, CookieOptions cookie, Keys keys, @Nullable EncryptionKeys encryption) {
    this.cookieName = cookieName;
    this.cookie = cookie;
    this.keys = keys;
    this.encryption = encryption;
  }

  /** The cookie name. */
  public String cookieName() {
    return cookieName;
  }

  /** The cookie attributes, {@code maxAge} (the token lifetime) included. */
  public CookieOptions cookie() {
    return cookie;
  }

  /** The token lifetime: the cookie's {@code maxAge}. */
  public Duration maxAge() {
    return cookie.maxAge();
  }

  /** The key material. */
  public Keys keys() {
    return keys;
  }

  /** The encryption keys, when tokens of this type are encrypted (compact JWE). */
  public Optional<EncryptionKeys> encryption() {
    return Optional.ofNullable(encryption);
  }

  /** Names the cookie and its attributes and the key algorithms; never key material. */
  @Override
  public String toString() {
    return "TokenSettings[cookieName="
        + cookieName
        + ", "
        + cookie
        + ", "
        + keys
        + (encryption == null ? "" : ", " + encryption)
        + "]";
  }

  /**
   * Builds the settings of one token type. Cookie name, {@code maxAge} and a secret (or keys) are
   * required; every other attribute has a safe default. Each setting may be set once.
   */
  public static final class Builder {

    private final String prefix;
    private final Problems problems;
    private @Nullable String cookieName;
    private String path = "/";
    private @Nullable String domain;
    private @Nullable Duration maxAge;
    private boolean secure = true;
    private boolean httpOnly = true;
    private SameSite sameSite = SameSite.LAX;
    private boolean partitioned;
    private @Nullable Keys keys;
    private @Nullable EncryptionKeys encryption;

    Builder(String prefix, Problems problems) {
      this.prefix = prefix;
      this.problems = problems;
    }

    /**
     * The cookie name, a token of RFC 6265 (letters, digits and {@code !#$%&'*+-.^_`|~}). A {@code
     * __Host-} prefix makes the browser enforce {@code Secure}, {@code Path=/} and no {@code
     * Domain}; {@code __Secure-} enforces {@code Secure}; both are checked here too.
     */
    public Builder cookieName(String cookieName) {
      problems.once(prefix + ".cookieName");
      this.cookieName = Objects.requireNonNull(cookieName, "cookieName");
      return this;
    }

    /** The cookie's {@code Max-Age} and the token's lifetime; required, at least one second. */
    public Builder maxAge(Duration maxAge) {
      problems.once(prefix + ".maxAge");
      this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
      return this;
    }

    /** The cookie's {@code Path}; default {@code /}. */
    public Builder path(String path) {
      problems.once(prefix + ".path");
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The cookie's {@code Domain}; default none (a host-only cookie, the safest). */
    public Builder domain(String domain) {
      problems.once(prefix + ".domain");
      this.domain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Whether the cookie is {@code Secure}; default {@code true}. <b>Security:</b> without it the
     * token travels over plain HTTP and can be read by anyone on the network; turn it off only for
     * local development over {@code http://}.
     */
    public Builder secure(boolean secure) {
      problems.once(prefix + ".secure");
      this.secure = secure;
      return this;
    }

    /**
     * Whether the cookie is {@code HttpOnly}; default {@code true}. <b>Security:</b> without it any
     * script on the page, injected ones included, can read and exfiltrate the token.
     */
    public Builder httpOnly(boolean httpOnly) {
      problems.once(prefix + ".httpOnly");
      this.httpOnly = httpOnly;
      return this;
    }

    /** The cookie's {@code SameSite}; default {@link SameSite#LAX}. */
    public Builder sameSite(SameSite sameSite) {
      problems.once(prefix + ".sameSite");
      this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
      return this;
    }

    /** Whether the cookie is {@code Partitioned} (CHIPS); default {@code false}; needs Secure. */
    public Builder partitioned(boolean partitioned) {
      problems.once(prefix + ".partitioned");
      this.partitioned = partitioned;
      return this;
    }

    /**
     * An HS256 secret, used as its UTF-8 bytes; at least 32 bytes. Same as {@code
     * keys(Keys.hmac(secret))}.
     */
    public Builder secret(String secret) {
      return keys(Keys.hmac(secret));
    }

    /** An HS256 secret of at least 32 bytes. */
    public Builder secret(byte[] secret) {
      return keys(Keys.hmac(secret));
    }

    /** The key material: a signing key and verification-only keys; see {@link Keys}. */
    public Builder keys(Keys keys) {
      problems.once(prefix + ".secret");
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Encrypts the tokens of this type (opt-in): a compact JWE, {@code alg: dir}, {@code enc:
     * A256GCM}, so the claims cannot be read in the browser; see {@link EncryptionKeys}. The cookie
     * is about the size of an HS256 token of the same claims. Encrypted access tokens cannot be
     * published through a JWKS for other services (they could not read them). Access and refresh
     * tokens must use different encryption keys.
     */
    public Builder encryption(EncryptionKeys encryption) {
      problems.once(prefix + ".encryption");
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /**
     * The settings, or {@code null} when a required one is missing (then a problem is recorded).
     */
    @Nullable TokenSettings build() {
      if (cookieName == null) {
        problems.add(
            prefix + ".cookieName",
            "is missing",
            "Set it, e.g. " + prefix + "(t -> t.cookieName(\"" + prefix + "_token\"))");
      } else if (!isToken(cookieName)) {
        problems.add(
            prefix + ".cookieName",
            "'" + cookieName + "' is not a valid cookie name",
            "Use letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265 token)");
      }
      if (maxAge == null) {
        problems.add(
            prefix + ".maxAge",
            "is missing",
            "Set the cookie Max-Age, which is also the token lifetime, e.g. maxAge(Duration.ofMinutes(15))");
      } else if (maxAge.compareTo(Duration.ofSeconds(1)) < 0) {
        problems.add(
            prefix + ".maxAge",
            "is " + maxAge + "; it must be at least one second",
            "Use a positive duration");
      }
      if (keys == null) {
        problems.add(
            prefix + ".secret",
            "is missing",
            "Set a secret of at least 32 bytes, e.g. secret(System.getenv(\"ACCESS_SECRET\"))");
      } else {
        for (String problem : keys.problems()) {
          problems.addRaw(prefix + "." + problem);
        }
      }
      if (encryption != null) {
        for (String problem : encryption.problems()) {
          problems.addRaw(prefix + "." + problem);
        }
      }
      if (!isAttributeValue(path) || !path.startsWith("/")) {
        problems.add(
            prefix + ".path",
            "'" + path + "' is not a valid cookie path",
            "Use an absolute path without ';' or control characters, e.g. \"/\"");
      }
      if (domain != null && (!isAttributeValue(domain) || domain.isBlank())) {
        problems.add(
            prefix + ".domain",
            "'" + domain + "' is not a valid cookie domain",
            "Use a host name such as example.com, or leave it unset for a host-only cookie");
      }
      if (sameSite == SameSite.NONE && !secure) {
        problems.add(
            prefix + ".sameSite",
            "None needs Secure (browsers drop such cookies)",
            "Keep secure(true) or use SameSite.LAX");
      }
      if (partitioned && !secure) {
        problems.add(prefix + ".partitioned", "needs Secure", "Keep secure(true)");
      }
      // Browsers match the prefixes case-insensitively (RFC 6265bis §5.7): so must this check.
      if (cookieName != null && cookieName.regionMatches(true, 0, "__Host-", 0, 7)) {
        if (!secure || !"/".equals(path) || domain != null) {
          problems.add(
              prefix + ".cookieName",
              "the __Host- prefix needs Secure, Path=/ and no Domain",
              "Keep secure(true), path \"/\" and no domain, or drop the prefix");
        }
      } else if (cookieName != null
          && cookieName.regionMatches(true, 0, "__Secure-", 0, 9)
          && !secure) {
        problems.add(
            prefix + ".cookieName",
            "the __Secure- prefix needs Secure",
            "Keep secure(true), or drop the prefix");
      }
      if (cookieName == null || maxAge == null || keys == null) {
        return null;
      }
      CookieOptions options =
          new CookieOptions(path, domain, maxAge, secure, httpOnly, sameSite, partitioned);
      return new TokenSettings(cookieName, options, keys, encryption);
    }

    private static boolean isToken(String name) {
      if (name.isEmpty()) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private static boolean isAttributeValue(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x21 || c > 0x7e || c == ';' || c == ',') {
          return false;
        }
      }
      return true;
    }
  }
}
