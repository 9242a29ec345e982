package dev.jwtsession.demo;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How the demo answers: HTML pages, JSON, plain text and redirects, with their headers. */
final class Responses {

  /** Scripts and styles only from this origin, so an injected inline script cannot run. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; "
          + "style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
          + "base-uri 'none'";

  private Responses() {}

  /** The request path inside the application, e.g. {@code /api/me}. */
  static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
  }

  /** A complete HTML page; never cached, since it shows a session. */
  static void html(HttpServletResponse response, int status, String page) throws IOException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    write(response, status, "text/html;charset=utf-8", page);
  }

  /** A JSON object, written by Nimbus's serializer; never cached. */
  static void json(HttpServletResponse response, int status, Map<String, ?> object)
      throws IOException {
    write(response, status, "application/json", JSONObjectUtils.toJSONString(object));
  }

  /** Plain text. */
  static void text(HttpServletResponse response, int status, String text) throws IOException {
    write(response, status, "text/plain;charset=utf-8", text);
  }

  /** {@code 303 See Other} to a path of this application. */
  static void seeOther(HttpServletResponse response, String path) {
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", path);
  }

  private static void write(
      HttpServletResponse response, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(contentType);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
