/**
 * jwt-session: stateless, secure sessions in two cookies, a short-lived access JWT and a long-lived
 * refresh JWT. Build one {@link dev.jwtsession.JwtSession}, install an adapter (for servlets {@code
 * dev.jwtsession.servlet.JwtSessionFilter}), and read {@link dev.jwtsession.Session} in handlers.
 * Configuration mistakes fail at {@code build()}; hostile cookies never throw.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package dev.jwtsession;

import org.jspecify.annotations.NullMarked;
