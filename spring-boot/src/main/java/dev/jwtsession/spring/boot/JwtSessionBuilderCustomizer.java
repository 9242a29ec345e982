package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;

/**
 * Changes the {@link JwtSession.Builder} of the auto-configured {@link JwtSession} after the {@code
 * jwt-session.*} properties and the {@code Reauth}, {@code RefreshTokenStore} and {@code
 * SessionListener} beans were applied. Customizer beans run in their {@code @Order}.
 *
 * <p>The builder refuses a setting made twice: a customizer may set whatever the properties left
 * unset (e.g. {@code b.clock(...)} or {@code b.access(t -> t.keys(...))}); one that sets a
 * configured property (say {@code b.leeway(...)} while {@code jwt-session.leeway} is set) fails
 * startup with a message naming both. To take over completely, declare your own {@code JwtSession}
 * bean instead.
 */
@FunctionalInterface
public interface JwtSessionBuilderCustomizer {

  /** Adjusts the builder; do not call {@code build()}. */
  void customize(JwtSession.Builder builder);
}
