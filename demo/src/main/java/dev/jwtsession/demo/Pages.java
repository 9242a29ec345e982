package dev.jwtsession.demo;

import dev.jwtsession.Claims;
import dev.jwtsession.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the demo's two pages, the login form and the session view, as complete HTML documents.
 * Everything that comes from a request or a token goes through {@link Html#escape}. Styles and the
 * countdown script are static files, so the Content-Security-Policy needs no {@code unsafe-inline}.
 */
final class Pages {

  /** Claims holding epoch seconds, shown with their instant too. */
  private static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf");

  /** Who first, then when, then the session bookkeeping; any other claim after, by name. */
  private static final List<String> CLAIM_ORDER =
      List.of("sub", "name", "role", "iat", "exp", "nbf", "sid", "rot");

  /** What each claim jwt-session or the demo sets means, for the claims table. */
  private static final Map<String, String> MEANINGS =
      Map.of(
          "sub", "subject: who this session is",
          "name", "display name (set by the demo)",
          "role", "role (set by the demo)",
          "iat", "issued at",
          "exp", "expires at: iat + access max-age",
          "nbf", "not valid before",
          "sid", "session family: shared by every refresh of this login",
          "rot", "how many times this login was refreshed");

  private Pages() {}

  /** The login form; {@code error} (may be {@code null}) is shown above it. */
  static String login(String username, String error) {
    StringBuilder body = new StringBuilder();
    body.append("<h2>Sign in</h2>\n");
    if (error != null) {
      body.append("<p id=\"error\" class=\"error\" role=\"alert\">")
          .append(Html.escape(error))
          .append("</p>\n");
    }
    body.append(
        """
        <form id="login-form" method="post" action="/login">
          <label for="username">User name</label>
          <input id="username" name="username" autocomplete="username" required autofocus value="%s">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
          <button id="login-button" type="submit">Sign in</button>
        </form>
        <p class="hint">Demo users: <code>alice</code> / <code>alice-password</code> (admin),
          <code>bob</code> / <code>bob-password</code> (user).</p>
        """
            .formatted(Html.escape(username)));
    return document(body.toString());
  }

  /** The view of an authenticated session at {@code now}. */
  static String home(Session session, Instant now) {
    Claims claims = session.claims();
    String subject = claims.subject().orElse("");
    String name = claims.string("name").orElse(subject);
    String role = claims.string("role").orElse("");
    Instant expires = claims.expiresAt().orElse(now);
    long remaining = Math.max(0, Duration.between(now, expires).toSeconds());

    StringBuilder body = new StringBuilder();
    body.append("<div class=\"status\">\n");
    body.append("  <p id=\"who\">Signed in as <strong>")
        .append(Html.escape(name))
        .append("</strong> <code>")
        .append(Html.escape(subject))
        .append("</code>");
    if (!role.isEmpty()) {
      body.append(" <span class=\"role\">").append(Html.escape(role)).append("</span>");
    }
    body.append("</p>\n");
    if (session.reauthenticated()) {
      body.append(
          "  <span id=\"reauth-badge\" class=\"badge\" title=\"The access token had expired; "
              + "this request renewed it from the refresh token\">silently re-authenticated</span>\n");
    }
    body.append("</div>\n");
    body.append("<dl class=\"facts\">\n");
    body.append(
            "  <dt>Access token expires in</dt>\n  <dd><span id=\"countdown\" data-remaining=\"")
        .append(remaining)
        .append("\">")
        .append(remaining)
        .append(" s</span> <span class=\"muted\">(")
        .append(Html.escape(expires))
        .append(")</span></dd>\n");
    body.append("  <dt>Session family</dt>\n  <dd><code id=\"family-id\">")
        .append(Html.escape(session.familyId().orElse("-")))
        .append("</code></dd>\n");
    body.append("  <dt>Refreshed</dt>\n  <dd><span id=\"refresh-count\">")
        .append(session.refreshCount())
        .append("</span> ")
        .append(session.refreshCount() == 1 ? "time" : "times")
        .append("</dd>\n");
    body.append("</dl>\n");
    body.append("<h2>Access token claims</h2>\n");
    body.append(claimsTable(claims.asMap()));
    body.append(
        """
        <div class="actions">
          <form method="post" action="/logout"><button id="logout-button" type="submit">Log out</button></form>
          <form method="post" action="/logout-all"><button id="logout-all-button" class="danger" type="submit">Log out everywhere</button></form>
        </div>
        <p class="hint">When the countdown ends, the next request renews the access token from the
          refresh token: reload to see the badge. <a href="/api/me">/api/me</a> shows this session as
          JSON.</p>
        """);
    return document(body.toString());
  }

  private static String claimsTable(Map<String, Object> claims) {
    StringBuilder table =
        new StringBuilder(
            """
        <table id="claims">
          <thead><tr><th>Claim</th><th>Value</th><th>Meaning</th></tr></thead>
          <tbody>
        """);
    List<Map.Entry<String, Object>> rows = new ArrayList<>(claims.entrySet());
    rows.sort(
        Comparator.comparing((Map.Entry<String, Object> e) -> rank(e.getKey()))
            .thenComparing(Map.Entry::getKey));
    for (Map.Entry<String, Object> claim : rows) {
      table
          .append("    <tr><th scope=\"row\"><code>")
          .append(Html.escape(claim.getKey()))
          .append("</code></th><td>")
          .append(Html.escape(claim.getValue()));
      if (TIME_CLAIMS.contains(claim.getKey()) && claim.getValue() instanceof Long seconds) {
        table
            .append(" <span class=\"muted\">")
            .append(Html.escape(Instant.ofEpochSecond(seconds)))
            .append("</span>");
      }
      table
          .append("</td><td class=\"muted\">")
          .append(Html.escape(MEANINGS.getOrDefault(claim.getKey(), "")))
          .append("</td></tr>\n");
    }
    return table.append("  </tbody>\n</table>\n").toString();
  }

  private static int rank(String claim) {
    int index = CLAIM_ORDER.indexOf(claim);
    return index < 0 ? CLAIM_ORDER.size() : index;
  }

  private static String document(String main) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>jwt-session demo</title>
          <link rel="stylesheet" href="/static/app.css">
          <script src="/static/app.js" defer></script>
        </head>
        <body>
        <main class="card">
        <header>
          <h1>jwt-session demo</h1>
          <p class="tagline">Stateless sessions in two JWT cookies: a short-lived access token, renewed
            from a rotating refresh token.</p>
        </header>
        %s</main>
        </body>
        </html>
        """
        .formatted(main);
  }
}
