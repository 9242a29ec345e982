package dev.jwtsession.servlet;

import dev.jwtsession.spi.CookieSink;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/** Writes the engine's {@code Set-Cookie} headers straight onto a servlet response. */
final class ServletCookieSink implements CookieSink {

  private static final String SET_COOKIE = "Set-Cookie";

  private final HttpServletResponse response;

  ServletCookieSink(HttpServletResponse response) {
    this.response = response;
  }

  @Override
  public boolean isCommitted() {
    return response.isCommitted();
  }

  @Override
  public void add(String setCookieHeader) {
    response.addHeader(SET_COOKIE, setCookieHeader);
  }

  /** The Servlet API cannot remove one header value, so all are re-set but the replaced one. */
  @Override
  public void replace(String cookieName, String setCookieHeader) {
    String prefix = cookieName + "=";
    List<String> kept = new ArrayList<>();
    for (String header : response.getHeaders(SET_COOKIE)) {
      if (!header.startsWith(prefix)) {
        kept.add(header);
      }
    }
    response.setHeader(SET_COOKIE, setCookieHeader);
    for (String header : kept) {
      response.addHeader(SET_COOKIE, header);
    }
  }
}
