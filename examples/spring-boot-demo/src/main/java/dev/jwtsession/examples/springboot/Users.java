package dev.jwtsession.examples.springboot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The demo's two users, {@code alice} (admin) and {@code bob} (user). Passwords are compared in
 * constant time on their SHA-256 digests; a real application stores a slow password hash instead.
 */
@Component
public class Users {

  /** One user and the claims it logs in with. */
  public record User(String id, String name, String role) {

    /** {@code sub}, {@code name} and {@code role}. */
    public Map<String, Object> claims() {
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("sub", id);
      claims.put("name", name);
      claims.put("role", role);
      return claims;
    }
  }

  private static final byte[] NO_SUCH_USER = sha256("no such user: this digest never matches");

  private final Map<String, User> users =
      Map.of(
          "alice", new User("alice", "Alice", "admin"),
          "bob", new User("bob", "Bob", "user"));

  private final Map<String, byte[]> passwords =
      Map.of("alice", sha256("alice-password"), "bob", sha256("bob-password"));

  /** Used by Spring. */
  public Users() {}

  /** The user whose name and password match. */
  public Optional<User> authenticate(String username, String password) {
    byte[] expected = username == null ? null : passwords.get(username);
    boolean matches =
        MessageDigest.isEqual(
            expected == null ? NO_SUCH_USER : expected, sha256(password == null ? "" : password));
    return expected != null && matches ? Optional.of(users.get(username)) : Optional.empty();
  }

  /** The user with this id, if it (still) exists. */
  public Optional<User> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(users.get(id));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
