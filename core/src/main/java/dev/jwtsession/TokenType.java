package dev.jwtsession;

/** Which of the two session tokens something is about. */
public enum TokenType {
  /** The short-lived access token, checked on every request. */
  ACCESS,
  /** The long-lived refresh token, used only to issue a new access token. */
  REFRESH
}
