package dev.jwtsession.servlet;

import dev.jwtsession.spi.CookieSink;
import dev.jwtsession.spi.NoStore;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The response the application sees: writes the engine's {@code Set-Cookie} headers straight onto
 * the servlet response and, once one is written, keeps {@code Cache-Control: no-store} whatever
 * caching header the application sets afterwards ({@link NoStore#override}).
 */
final class SessionResponse extends HttpServletResponseWrapper implements CookieSink {

  private static final String SET_COOKIE = "Set-Cookie";

  /** Shared by the wrappers of one request's dispatches (see {@link #alsoGuarding}). */
  private final boolean[] noStore;

  SessionResponse(HttpServletResponse response) {
    this(response, new boolean[1]);
  }

  private SessionResponse(HttpServletResponse response, boolean[] noStore) {
    super(response);
    this.noStore = noStore;
  }

  /**
   * A wrapper for a re-dispatch (ERROR, ASYNC) of the same request that keeps this one's no-store
   * state: an error page cannot make a cookie-carrying response cacheable either.
   */
  SessionResponse alsoGuarding(HttpServletResponse response) {
    return new SessionResponse(response, noStore);
  }

  @Override
  public void add(String setCookieHeader) {
    super.addHeader(SET_COOKIE, setCookieHeader);
  }

  /** The Servlet API cannot remove one header value, so all are re-set but the replaced one. */
  @Override
  public void replace(String cookieName, String setCookieHeader) {
    String prefix = cookieName + "=";
    List<String> kept = new ArrayList<>();
    for (String header : getHeaders(SET_COOKIE)) {
      if (!header.startsWith(prefix)) {
        kept.add(header);
      }
    }
    super.setHeader(SET_COOKIE, setCookieHeader);
    for (String header : kept) {
      super.addHeader(SET_COOKIE, header);
    }
  }

  @Override
  public void preventCaching() {
    noStore[0] = true;
    for (String name : List.copyOf(getHeaderNames())) {
      if (NoStore.governs(name)) {
        super.setHeader(name, NoStore.VALUE);
      }
    }
    super.setHeader(NoStore.HEADER, NoStore.VALUE);
  }

  @Override
  public void setHeader(String name, String value) {
    super.setHeader(name, noStore[0] ? NoStore.override(name, value) : value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (noStore[0] && NoStore.governs(name)) {
      super.setHeader(name, NoStore.VALUE); // one no-store, never a second directive beside it
    } else {
      super.addHeader(name, value);
    }
  }

  @Override
  public void reset() {
    super.reset();
    if (noStore[0]) { // reset() drops every header; a later login only replaces, so keep no-store
      super.setHeader(NoStore.HEADER, NoStore.VALUE);
    }
  }
}
