package dev.jwtsession.examples.springboot;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's HTTP contract: {@code GET /} (login form or claims), {@code POST /login}, {@code POST
 * /logout}, {@code POST /logout-all}, {@code GET /api/me} and {@code GET /health}.
 */
@RestController
public class DemoController {

  private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");

  private final Users users;

  /** Used by Spring. */
  public DemoController(Users users) {
    this.users = users;
  }

  /** The login form, or the signed-in user's claims. */
  @GetMapping("/")
  public ResponseEntity<String> home(Session session) {
    if (!session.isAuthenticated()) {
      return page(HttpStatus.OK, loginForm(""));
    }
    StringBuilder claims = new StringBuilder("<dl>");
    session
        .claims()
        .asMap()
        .forEach(
            (name, value) ->
                claims
                    .append("<dt>")
                    .append(htmlEscape(name))
                    .append("</dt><dd>")
                    .append(htmlEscape(String.valueOf(value)))
                    .append("</dd>"));
    claims.append("</dl>");
    return page(
        HttpStatus.OK,
        "<h1>Signed in as "
            + htmlEscape(session.subject().orElse(""))
            + "</h1>"
            + claims
            + "<form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button>"
            + "</form><form method=\"post\" action=\"/logout-all\"><button type=\"submit\">"
            + "Log out everywhere</button></form>");
  }

  /** Checks the form; {@code 303} to {@code /} on success, {@code 401} with the form otherwise. */
  @PostMapping("/login")
  public ResponseEntity<String> login(
      Session session,
      @RequestParam(name = "username", required = false) String username,
      @RequestParam(name = "password", required = false) String password) {
    Optional<Users.User> user = users.authenticate(username, password);
    if (user.isEmpty()) {
      return page(HttpStatus.UNAUTHORIZED, loginForm("Wrong user name or password."));
    }
    if (session.isAuthenticated()) {
      session.logout(); // a new login ends the previous one instead of orphaning its family
    }
    session.login(Payloads.of(user.get().claims(), user.get().claims()));
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
  }

  /** Ends this login; {@code 303} to {@code /}. */
  @PostMapping("/logout")
  public ResponseEntity<Void> logout(Session session) {
    session.logout();
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
  }

  /** Ends every login of the user; {@code 303} to {@code /}. */
  @PostMapping("/logout-all")
  public ResponseEntity<Void> logoutAll(Session session) {
    if (session.isAuthenticated()) {
      session.logoutEverywhere();
    } else {
      session.logout();
    }
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
  }

  /**
   * {@code 200 {"authenticated":true,"reauthenticated":...,"claims":{...}}} or {@code 401
   * {"authenticated":false}}, as the Jetty demo's {@code MeServlet}.
   */
  @GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> me(Session session) {
    if (!session.isAuthenticated()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("authenticated", false));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("authenticated", true);
    body.put("reauthenticated", session.reauthenticated());
    body.put("claims", session.claims().asMap());
    return ResponseEntity.ok(body);
  }

  /** {@code ok}. */
  @GetMapping(path = "/health", produces = MediaType.TEXT_PLAIN_VALUE)
  public String health() {
    return "ok";
  }

  private static String loginForm(String error) {
    return "<h1>jwt-session on Spring Boot</h1>"
        + (error.isEmpty() ? "" : "<p role=\"alert\">" + htmlEscape(error) + "</p>")
        + "<form method=\"post\" action=\"/login\">"
        + "<label>User <input name=\"username\" autocomplete=\"username\"></label>"
        + "<label>Password <input name=\"password\" type=\"password\""
        + " autocomplete=\"current-password\"></label>"
        + "<button type=\"submit\">Sign in</button></form>"
        + "<p>alice / alice-password (admin), bob / bob-password (user)</p>";
  }

  private static ResponseEntity<String> page(HttpStatus status, String body) {
    return ResponseEntity.status(status)
        .contentType(HTML)
        .header("Content-Security-Policy", "default-src 'none'; form-action 'self'")
        .body(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>jwt-session demo</title></head><body>"
                + body
                + "</body></html>");
  }
}
