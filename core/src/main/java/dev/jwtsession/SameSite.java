package dev.jwtsession;

/** The {@code SameSite} attribute of a session cookie (RFC 6265bis §5.4.7). */
public enum SameSite {
  /** Sent only on same-site requests. */
  STRICT("Strict"),
  /**
   * Sent on same-site requests and top-level cross-site navigations with safe methods (default).
   */
  LAX("Lax"),
  /**
   * Sent on every request, cross-site included. <b>Security:</b> needs {@code Secure} and leaves
   * CSRF defence to the origin check alone; use only when the application is embedded cross-site.
   */
  NONE("None");

  private final String attributeValue;

  SameSite(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value as written in {@code Set-Cookie}: {@code Strict}, {@code Lax} or {@code None}. */
  public String attributeValue() {
    return attributeValue;
  }
}
