/**
 * Service-provider interfaces: what an adapter implements to connect a web framework ({@link
 * dev.jwtsession.spi.CookieSink}) and what a shared store implements for refresh-token rotation
 * ({@link dev.jwtsession.spi.RefreshTokenStore}). Adapters and stores use only this package and
 * {@code dev.jwtsession}, so a third party can write either.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package dev.jwtsession.spi;

import org.jspecify.annotations.NullMarked;
