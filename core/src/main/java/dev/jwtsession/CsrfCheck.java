package dev.jwtsession;

import dev.jwtsession.internal.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cross-origin request check adapters run before the application, the rule of Go 1.25's {@code
 * net/http.CrossOriginProtection}: Fetch Metadata first, then {@code Origin}. On by default.
 *
 * <p>Every request whose method is not {@code GET}, {@code HEAD}, {@code OPTIONS} or {@code TRACE}
 * is checked, whatever its content type or its absence:
 *
 * <ol>
 *   <li>if {@code Sec-Fetch-Site} is present, only {@code same-origin} or {@code none} pass;
 *   <li>otherwise, if {@code Origin} is present, it must equal the request's own origin ({@code
 *       Origin: null} never passes);
 *   <li>a request with neither header passes: it does not come from a browser (curl,
 *       server-to-server calls), so it is no cross-site request forgery.
 * </ol>
 *
 * A request whose {@code Origin} is one of the {@linkplain #trustedOrigins() trusted origins}, or
 * whose path is one of the {@linkplain #exemptPaths() exempt paths} (a webhook), passes either way;
 * every other refused request is answered {@code 403} with a short plain-text reason. The content
 * type decides nothing: a cross-origin {@code fetch(url, {mode: 'no-cors', credentials: 'include',
 * body: new Blob([...])})} sends no {@code Content-Type} at all.
 */
public final class CsrfCheck {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final boolean enabled;
  private final List<String> trustedOrigins;
  private final List<String> exemptPaths;

  private CsrfCheck(boolean enabled, List<String> trustedOrigins, List<String> exemptPaths) {
    this.enabled = enabled;
    this.trustedOrigins = trustedOrigins;
    this.exemptPaths = exemptPaths;
  }

  /** Whether the check runs. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Origins besides the request's own that may send unsafe requests, e.g. {@code
   * https://app.example.com}.
   */
  public List<String> trustedOrigins() {
    return trustedOrigins;
  }

  /**
   * Paths exempt from the check: an exact path ({@code /webhooks/stripe}) or a prefix ending in
   * {@code /*} ({@code /hooks/*}, everything below {@code /hooks/}).
   */
  public List<String> exemptPaths() {
    return exemptPaths;
  }

  /**
   * Whether a request with this method needs {@link #refusal} at all: the check is on and the
   * method is not {@code GET}, {@code HEAD}, {@code OPTIONS} or {@code TRACE}. Lets adapters skip
   * gathering headers for the common {@code GET}.
   */
  public boolean appliesTo(String method) {
    return enabled && !SAFE_METHODS.contains(method);
  }

  /**
   * Checks one request; empty means it may proceed, otherwise the short plain-text reason to answer
   * with {@code 403}.
   *
   * @param method the HTTP method
   * @param path the request path within the application, decoded and normalized as the framework
   *     routes it (for servlets {@code servletPath + pathInfo}); {@code null} when unknown (no path
   *     is then exempt)
   * @param origin the {@code Origin} header, or {@code null}
   * @param secFetchSite the {@code Sec-Fetch-Site} header, or {@code null}
   * @param requestOrigin the request's own origin, {@code scheme://host[:port]} as the client
   *     addressed it (default ports omitted)
   */
  public Optional<String> refusal(
      String method,
      @Nullable String path,
      @Nullable String origin,
      @Nullable String secFetchSite,
      String requestOrigin) {
    if (!appliesTo(method)) {
      return Optional.empty();
    }
    if (secFetchSite != null && !secFetchSite.isEmpty()) {
      if (secFetchSite.equals("same-origin") || secFetchSite.equals("none")) {
        return Optional.empty();
      }
      return exempt(origin, path)
          ? Optional.empty()
          : Optional.of("Cross-site " + method + " requests are forbidden");
    }
    if (origin == null) {
      return Optional.empty(); // neither header: not a browser
    }
    if (origin.equalsIgnoreCase(requestOrigin) || exempt(origin, path)) {
      return Optional.empty();
    }
    return Optional.of("Cross-site " + method + " requests are forbidden");
  }

  /**
   * The check without a path (so no path is exempt); the content type is ignored.
   *
   * @deprecated adapters call {@link #refusal} with the request path, so exempt paths work
   */
  @Deprecated
  public Optional<String> check(
      String method,
      @Nullable String contentType,
      @Nullable String origin,
      @Nullable String secFetchSite,
      String requestOrigin) {
    return refusal(method, null, origin, secFetchSite, requestOrigin);
  }

  private boolean exempt(@Nullable String origin, @Nullable String path) {
    if (origin != null) {
      for (String trusted : trustedOrigins) {
        if (origin.equalsIgnoreCase(trusted)) {
          return true;
        }
      }
    }
    return path != null && exemptPath(path);
  }

  private boolean exemptPath(String path) {
    if (exemptPaths.isEmpty() || !isNormalized(path)) {
      return false;
    }
    for (String exempt : exemptPaths) {
      if (exempt.endsWith("/*")
          ? path.startsWith(exempt.substring(0, exempt.length() - 1))
          : path.equals(exempt)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A path the framework did not normalize (dot segments, empty segments, path parameters) is never
   * exempt: {@code /hooks/../logout} must not borrow the exemption of {@code /hooks/*}.
   */
  private static boolean isNormalized(String path) {
    return path.startsWith("/")
        && !path.contains("//")
        && !path.contains("/./")
        && !path.contains("/../")
        && !path.endsWith("/.")
        && !path.endsWith("/..")
        && path.indexOf(';') < 0
        && path.indexOf('\\') < 0
        && path.indexOf('%') < 0;
  }

  @Override
  public String toString() {
    return "CsrfCheck[enabled="
        + enabled
        + ", trustedOrigins="
        + trustedOrigins
        + ", exemptPaths="
        + exemptPaths
        + "]";
  }

  /** Builds the check; on by default with no trusted origins and no exempt paths. */
  public static final class Builder {

    private final Problems problems;
    private boolean enabled = true;
    private final List<String> trustedOrigins = new ArrayList<>();
    private final List<String> exemptPaths = new ArrayList<>();

    Builder(Problems problems) {
      this.problems = problems;
    }

    /**
     * Whether the check runs; default {@code true}. <b>Security:</b> off, any site can send
     * state-changing requests to the application with the user's cookies as far as {@code SameSite}
     * lets it; turn it off only when another CSRF defence covers every unsafe endpoint.
     */
    public Builder enabled(boolean enabled) {
      problems.once("csrf.enabled");
      this.enabled = enabled;
      return this;
    }

    /**
     * Origins besides the request's own that may send unsafe requests, e.g. {@code
     * https://app.example.com}. <b>Security:</b> each one can act as the user.
     */
    public Builder trustedOrigins(String... origins) {
      problems.once("csrf.trustedOrigins");
      for (String origin : origins) {
        if (!origin.matches("https?://[^/\\s]+")) {
          problems.add(
              "csrf.trustedOrigins",
              "'" + origin + "' is not an origin",
              "Write scheme://host[:port] without a path, e.g. https://app.example.com");
        }
        trustedOrigins.add(origin);
      }
      return this;
    }

    /**
     * Paths the check skips, for endpoints other sites call on purpose (a payment provider's
     * webhook): an exact path such as {@code /webhooks/stripe}, or a prefix ending in {@code /*}
     * such as {@code /hooks/*}. Matched against the path within the application as the framework
     * routes it. <b>Security:</b> an exempt endpoint must authenticate its callers itself (a
     * signature, a shared secret), never by the session cookie.
     */
    public Builder exemptPaths(String... paths) {
      problems.once("csrf.exemptPaths");
      for (String path : paths) {
        String prefix = path.endsWith("/*") ? path.substring(0, path.length() - 1) : path;
        if (!prefix.startsWith("/")
            || prefix.indexOf('*') >= 0
            || !isNormalized(prefix)
            || prefix.indexOf('?') >= 0
            || prefix.indexOf('#') >= 0
            || path.equals("/*")) {
          problems.add(
              "csrf.exemptPaths",
              "'" + path + "' is not an exempt path",
              "Write an exact path such as /webhooks/stripe or a prefix such as /hooks/*, never /*"
                  + " (that would turn the check off)");
        }
        exemptPaths.add(path);
      }
      return this;
    }

    CsrfCheck build() {
      return new CsrfCheck(enabled, List.copyOf(trustedOrigins), List.copyOf(exemptPaths));
    }
  }
}
