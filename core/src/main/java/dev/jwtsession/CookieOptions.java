package dev.jwtsession;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of one session cookie. Built through {@link TokenSettings.Builder}; defaults are
 * the safe ones: {@code Path=/}, {@code Secure}, {@code HttpOnly}, {@code SameSite=Lax}, no {@code
 * Domain} (host-only), not {@code Partitioned}.
 *
 * @param path the {@code Path} attribute
 * @param domain the {@code Domain} attribute, or {@code null} for a host-only cookie
 * @param maxAge the {@code Max-Age}, which is also the token's lifetime ({@code exp = iat +
 *     maxAge})
 * @param secure whether {@code Secure} is set
 * @param httpOnly whether {@code HttpOnly} is set
 * @param sameSite the {@code SameSite} attribute
 * @param partitioned whether {@code Partitioned} (CHIPS) is set
 */
public record CookieOptions(
    String path,
    @Nullable String domain,
    Duration maxAge,
    boolean secure,
    boolean httpOnly,
    SameSite sameSite,
    boolean partitioned) {}
