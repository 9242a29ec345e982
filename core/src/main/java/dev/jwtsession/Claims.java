package dev.jwtsession;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The verified claims of a session token: an immutable view with typed getters for the standard
 * claims and plain access to custom ones.
 *
 * <p>Values are what JSON gives: {@code String}, {@code Long} (integers), {@code Double}, {@code
 * Boolean}, {@code List} and {@code Map}. Deeply immutable: nested lists and maps are unmodifiable
 * copies, so nothing a handler does to them reaches another request holding the same token. {@link
 * #toString()} lists claim names, never values.
 */
public final class Claims {

  private static final Claims EMPTY = new Claims(Map.of(), Set.of());

  private final Map<String, Object> values;
  private final Set<String> managed;

  private Claims(Map<String, Object> values, Set<String> managed) {
    this.values = values;
    this.managed = managed;
  }

  /**
   * Claims over a deep, unmodifiable copy of {@code verified}: verified claims are shared through
   * the verified-token cache by every request with the same token, so no caller may change a nested
   * list or map (a handler adding "admin" to {@code roles} would change what the next request
   * sees).
   */
  static Claims of(Map<String, Object> verified, Set<String> managed) {
    return new Claims(frozenMap(verified), managed);
  }

  private static Map<String, Object> frozenMap(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      copy.put(String.valueOf(entry.getKey()), frozen(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  /** JSON null stays null, so lists keep nulls (List.copyOf would refuse them). */
  private static @Nullable Object frozen(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      return frozenMap(map);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        copy.add(frozen(item));
      }
      return Collections.unmodifiableList(copy);
    }
    return value; // String, Long, Double, Boolean: immutable already
  }

  /** No claims: what an anonymous session has. */
  public static Claims empty() {
    return EMPTY;
  }

  /** The {@code sub} claim. */
  public Optional<String> subject() {
    return string("sub");
  }

  /** The {@code iat} claim. */
  public Optional<Instant> issuedAt() {
    return instant("iat");
  }

  /** The {@code exp} claim; present on every token jwt-session accepts. */
  public Optional<Instant> expiresAt() {
    return instant("exp");
  }

  /** The {@code nbf} claim. */
  public Optional<Instant> notBefore() {
    return instant("nbf");
  }

  /** The {@code jti} claim (refresh tokens carry one). */
  public Optional<String> jwtId() {
    return string("jti");
  }

  /** The {@code iss} claim. */
  public Optional<String> issuer() {
    return string("iss");
  }

  /** The {@code sid} claim: the id of the login family every rotation of one login shares. */
  public Optional<String> familyId() {
    return string("sid");
  }

  /** The {@code rot} claim: how many times this login was refreshed; 0 right after login. */
  public long refreshCount() {
    return values.get("rot") instanceof Long count ? count : 0L;
  }

  /** Whether the claim is present. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** A claim's raw JSON value, or {@code null} when absent. */
  public @Nullable Object get(String name) {
    return values.get(name);
  }

  /** A claim's value when it is a string. */
  public Optional<String> string(String name) {
    return values.get(name) instanceof String text ? Optional.of(text) : Optional.empty();
  }

  /** A claim's value when it is an integer number. */
  public Optional<Long> number(String name) {
    return values.get(name) instanceof Long number ? Optional.of(number) : Optional.empty();
  }

  /** A claim's value when it is a boolean. */
  public Optional<Boolean> bool(String name) {
    return values.get(name) instanceof Boolean flag ? Optional.of(flag) : Optional.empty();
  }

  /** A claim's value when it is a list of strings (for example {@code roles}); else empty. */
  public List<String> strings(String name) {
    if (values.get(name) instanceof List<?> list
        && list.stream().allMatch(String.class::isInstance)) {
      @SuppressWarnings("unchecked")
      List<String> strings = (List<String>) list;
      return List.copyOf(strings);
    }
    return List.of();
  }

  /** All claims, in token order, as an unmodifiable map. */
  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * The claims the application chose, without those jwt-session manages ({@code iat}, {@code exp},
   * {@code nbf}, {@code jti}, {@code sid}, {@code rot}, {@code aex}, and {@code iss}/{@code aud}
   * when configured): what to hand back to {@link Payloads} to re-issue a token with the same
   * payload.
   */
  public Map<String, Object> userClaims() {
    Map<String, Object> user = new LinkedHashMap<>(values);
    user.keySet().removeAll(managed);
    return Collections.unmodifiableMap(user);
  }

  /** Whether there are no claims. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  private Optional<Instant> instant(String name) {
    return values.get(name) instanceof Long seconds
        ? Optional.of(Instant.ofEpochSecond(seconds))
        : Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Claims that && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Lists the claim names only: values may be personal data. */
  @Override
  public String toString() {
    return "Claims" + values.keySet();
  }
}
