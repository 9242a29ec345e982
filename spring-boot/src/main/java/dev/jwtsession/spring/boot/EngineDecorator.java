package dev.jwtsession.spring.boot;

import dev.jwtsession.Reauth;
import dev.jwtsession.spi.RefreshTokenStore;

/**
 * Wraps the {@link Reauth} and the {@link RefreshTokenStore} the auto-configured engine is built
 * with (e.g. for metrics). Beans of this type apply in {@code @Order}; the default of each method
 * leaves its argument unchanged.
 */
interface EngineDecorator {

  /** The store the engine uses instead of {@code store}. */
  default RefreshTokenStore store(RefreshTokenStore store) {
    return store;
  }

  /** The {@code Reauth} the engine uses instead of {@code reauth}. */
  default Reauth reauth(Reauth reauth) {
    return reauth;
  }
}
