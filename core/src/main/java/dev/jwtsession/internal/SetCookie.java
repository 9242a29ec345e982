package dev.jwtsession.internal;

import dev.jwtsession.CookieOptions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats {@code Set-Cookie} header values (RFC 6265 §4.1), in core so every adapter writes the
 * same bytes. Both {@code Max-Age} and {@code Expires} are written: {@code Max-Age} wins where
 * understood, {@code Expires} serves the rest. A clearing cookie repeats the Path and Domain it was
 * set with, or the browser would keep the original.
 */
public final class SetCookie {

  /** {@code sane-cookie-date} of RFC 6265 §4.1.1: a two-digit day, always GMT. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

  private SetCookie() {}

  /** A cookie that holds {@code value} until {@code expiresAt}. */
  public static String set(
      String name, String value, CookieOptions options, Instant now, Instant expiresAt) {
    long maxAge = Math.max(0, expiresAt.getEpochSecond() - now.getEpochSecond());
    StringBuilder header = new StringBuilder(name.length() + value.length() + 128);
    header
        .append(name)
        .append('=')
        .append(value)
        .append("; Max-Age=")
        .append(maxAge)
        .append("; Expires=")
        .append(HTTP_DATE.format(expiresAt));
    return attributes(header, options);
  }

  /** A cookie that makes the browser delete {@code name} at once. */
  public static String clear(String name, CookieOptions options) {
    StringBuilder header = new StringBuilder(name.length() + 128);
    header.append(name).append("=; Max-Age=0; Expires=").append(EPOCH);
    return attributes(header, options);
  }

  private static String attributes(StringBuilder header, CookieOptions options) {
    header.append("; Path=").append(options.path());
    if (options.domain() != null) {
      header.append("; Domain=").append(options.domain());
    }
    if (options.secure()) {
      header.append("; Secure");
    }
    if (options.httpOnly()) {
      header.append("; HttpOnly");
    }
    header.append("; SameSite=").append(options.sameSite().attributeValue());
    if (options.partitioned()) {
      header.append("; Partitioned");
    }
    return header.toString();
  }
}
