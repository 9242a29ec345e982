package dev.jwtsession;

/**
 * Why a session cookie was not accepted. Reported to {@link SessionListener#rejected}; never thrown
 * and never written to a response.
 */
public enum RejectionReason {
  /** Not a compact JWS: wrong characters, wrong number of parts, undecodable, not JSON. */
  MALFORMED,
  /** The cookie header or the token is larger than the configured limit. */
  TOO_LARGE,
  /** The cookie name was sent more than once with different values (cookie tossing). */
  DUPLICATE_COOKIE,
  /** The signature does not verify with the selected key. */
  BAD_SIGNATURE,
  /** The {@code alg} header is not the algorithm configured for the key ({@code none} included). */
  ALG_NOT_ALLOWED,
  /** The {@code kid} header names no configured key. */
  UNKNOWN_KEY,
  /**
   * A header the verifier does not accept: {@code crit}, {@code jwk}, {@code jku}, {@code x5u}, ...
   */
  FORBIDDEN_HEADER,
  /** An access token presented as a refresh token, or the reverse ({@code typ} header). */
  WRONG_TOKEN_TYPE,
  /** {@code exp} has passed (beyond the leeway). */
  EXPIRED,
  /** {@code nbf} is still in the future (beyond the leeway). */
  NOT_YET_VALID,
  /** {@code iat} is in the future (beyond the leeway). */
  ISSUED_IN_FUTURE,
  /** A required claim is missing, or a claim has the wrong type or an absurd value. */
  INVALID_CLAIMS,
  /** {@code iss} differs from the configured issuer. */
  WRONG_ISSUER,
  /** {@code aud} does not contain the configured audience. */
  WRONG_AUDIENCE,
  /** The login's absolute lifetime is over; rotation never extends it. */
  ABSOLUTE_LIFETIME_EXCEEDED,
  /** The session family was revoked (logout, log out everywhere, reauth refused) or is unknown. */
  REVOKED,
  /** An already rotated refresh token was used again after the grace window: theft assumed. */
  REUSE_DETECTED,
  /** The refresh-token store could not be reached; refresh is refused until it is back. */
  STORE_UNAVAILABLE,
  /** The application's {@link Reauth} callback threw or returned unusable payloads. */
  REAUTH_FAILED
}
