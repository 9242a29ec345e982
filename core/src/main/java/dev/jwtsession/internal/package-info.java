/**
 * Not API: token codec, cookie parsing and formatting, the verified-token cache. May change in any
 * release; adapters and stores use {@code dev.jwtsession} and {@code dev.jwtsession.spi} only.
 */
package dev.jwtsession.internal;
