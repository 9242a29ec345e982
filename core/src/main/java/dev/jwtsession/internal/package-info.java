/**
 * Not API: token codec, cookie parsing and formatting, the verified-token cache. May change in any
 * release; adapters and stores use {@code dev.jwtsession} and {@code dev.jwtsession.spi} only.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package dev.jwtsession.internal;

import org.jspecify.annotations.NullMarked;
