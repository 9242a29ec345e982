package dev.jwtsession;

import dev.jwtsession.internal.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The cross-site request check adapters run before the application, like SvelteKit's {@code
 * csrf.checkOrigin}: a state-changing request ({@code POST}, {@code PUT}, {@code PATCH}, {@code
 * DELETE}) with a form content type ({@code application/x-www-form-urlencoded}, {@code
 * multipart/form-data}, {@code text/plain}) whose {@code Origin} is neither the request's own
 * origin nor a trusted one is refused with {@code 403}. On by default.
 *
 * <p>A request without {@code Origin} passes unless {@code Sec-Fetch-Site: cross-site} says
 * otherwise: every current browser sends {@code Origin} on such requests, and clients that send
 * neither (curl, server-to-server calls) are not a CSRF vector. {@code Origin: null} (sandboxed or
 * privacy-redirected forms) is refused.
 */
public final class CsrfCheck {

  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private final boolean enabled;
  private final List<String> trustedOrigins;

  private CsrfCheck(boolean enabled, List<String> trustedOrigins) {
    this.enabled = enabled;
    this.trustedOrigins = trustedOrigins;
  }

  /** Whether the check runs. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Origins besides the request's own that may post forms, e.g. {@code https://app.example.com}.
   */
  public List<String> trustedOrigins() {
    return trustedOrigins;
  }

  /**
   * Whether a request with this method needs {@link #check} at all: the check is on and the method
   * changes state. Lets adapters skip gathering headers for the common {@code GET}.
   */
  public boolean appliesTo(String method) {
    return enabled && STATE_CHANGING.contains(method);
  }

  /**
   * Checks one request; empty means it may proceed, otherwise the short plain-text reason to answer
   * with {@code 403}.
   *
   * @param method the HTTP method
   * @param contentType the {@code Content-Type} header, or {@code null}
   * @param origin the {@code Origin} header, or {@code null}
   * @param secFetchSite the {@code Sec-Fetch-Site} header, or {@code null}
   * @param requestOrigin the request's own origin, {@code scheme://host[:port]} as the client
   *     addressed it (default ports omitted)
   */
  public Optional<String> check(
      String method, String contentType, String origin, String secFetchSite, String requestOrigin) {
    if (!appliesTo(method) || !isForm(contentType)) {
      return Optional.empty();
    }
    if (origin == null) {
      return "cross-site".equalsIgnoreCase(secFetchSite)
          ? Optional.of("Cross-site form submissions are forbidden")
          : Optional.empty();
    }
    if (origin.equalsIgnoreCase(requestOrigin)) {
      return Optional.empty();
    }
    for (String trusted : trustedOrigins) {
      if (origin.equalsIgnoreCase(trusted)) {
        return Optional.empty();
      }
    }
    return Optional.of("Cross-site " + method + " form submissions are forbidden");
  }

  private static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return FORM_TYPES.contains(type);
  }

  @Override
  public String toString() {
    return "CsrfCheck[enabled=" + enabled + ", trustedOrigins=" + trustedOrigins + "]";
  }

  /** Builds the check; on by default with no trusted origins. */
  public static final class Builder {

    private final Problems problems;
    private boolean enabled = true;
    private final List<String> trustedOrigins = new ArrayList<>();

    Builder(Problems problems) {
      this.problems = problems;
    }

    /**
     * Whether the check runs; default {@code true}. <b>Security:</b> off, any site can submit forms
     * to the application with the user's cookies as far as {@code SameSite} lets it; turn it off
     * only when another CSRF defence covers every state-changing endpoint.
     */
    public Builder enabled(boolean enabled) {
      problems.once("csrf.enabled");
      this.enabled = enabled;
      return this;
    }

    /**
     * Origins besides the request's own that may post forms, e.g. {@code https://app.example.com}.
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

    CsrfCheck build() {
      return new CsrfCheck(enabled, List.copyOf(trustedOrigins));
    }
  }
}
