package dev.jwtsession.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's fixed user directory: {@code alice} (admin) and {@code bob} (user).
 *
 * <p>Passwords are compared in constant time: both sides are hashed to SHA-256 first, so the
 * comparison neither stops at the first differing byte nor reveals the password's length, and an
 * unknown user name costs the same work as a known one. A real application stores a slow password
 * hash (Argon2, bcrypt) instead of the plain password held here for the demo.
 */
final class Users {

  @SuppressWarnings("ArrayRecordComponent") // private; compared only with MessageDigest.isEqual
  private record Account(User user, byte[] passwordDigest) {}

  /** Compared against when the user name is unknown, so both paths do the same work. */
  private static final byte[] NO_SUCH_USER = sha256("no such user: this digest never matches");

  private final Map<String, Account> accounts;

  private Users(Map<String, Account> accounts) {
    this.accounts = accounts;
  }

  /** The two demo users. */
  static Users demo() {
    return new Users(
        Map.of(
            "alice", new Account(new User("alice", "Alice", "admin"), sha256("alice-password")),
            "bob", new Account(new User("bob", "Bob", "user"), sha256("bob-password"))));
  }

  /** The user whose name and password match; empty otherwise. */
  Optional<User> authenticate(String username, String password) {
    Account account = username == null ? null : accounts.get(username);
    byte[] expected = account == null ? NO_SUCH_USER : account.passwordDigest();
    boolean matches = MessageDigest.isEqual(expected, sha256(password == null ? "" : password));
    return account != null && matches ? Optional.of(account.user()) : Optional.empty();
  }

  /** The user with this id, if it (still) exists. */
  Optional<User> find(String id) {
    Account account = id == null ? null : accounts.get(id);
    return account == null ? Optional.empty() : Optional.of(account.user());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
