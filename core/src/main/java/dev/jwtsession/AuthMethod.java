package dev.jwtsession;

/** How a {@link Session} was authenticated: see {@link Session#authMethod()}. */
public enum AuthMethod {
  /** Not authenticated (anonymous). */
  NONE,
  /** By the access cookie, a renewal from the refresh cookie, or a login in this request. */
  COOKIE,
  /** By an {@code Authorization: Bearer} access token; see {@link BearerSettings}. */
  BEARER
}
