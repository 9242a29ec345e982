package dev.jwtsession.spi;

/**
 * Thrown by a {@link RefreshTokenStore} that cannot reach its backing service within its timeout.
 * The engine never lets it reach the application: refresh is refused (fail closed), cookies are
 * kept, and listeners hear {@code STORE_UNAVAILABLE}.
 */
public class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that says which store and why, and the cause. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message that says which store and why. */
  public StoreUnavailableException(String message) {
    super(message);
  }
}
