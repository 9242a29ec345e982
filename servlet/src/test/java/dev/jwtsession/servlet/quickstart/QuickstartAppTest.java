package dev.jwtsession.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The README's quickstart really works: login, greeting, logout, over real HTTP. */
class QuickstartAppTest {

  @Test
  void quickstartLogsInGreetsAndLogsOut() throws Exception {
    Server server =
        QuickstartApp.start(
            0,
            "quickstart-access-secret-at-least-32-bytes",
            "quickstart-refresh-secret-at-least-32-byte");
    try {
      String base =
          "http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("username=jane&password=secret"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(302);
      List<String> cookies = login.headers().allValues("Set-Cookie");
      assertThat(cookies).hasSize(2).allMatch(c -> c.contains("Secure; HttpOnly; SameSite=Lax"));
      String cookieHeader =
          cookies.stream()
              .map(c -> c.substring(0, c.indexOf(';')))
              .reduce((a, b) -> a + "; " + b)
              .orElseThrow();

      HttpResponse<String> home =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", cookieHeader).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(home.body()).startsWith("Hello jane, role admin");

      HttpResponse<String> logout =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/logout"))
                  .header("Cookie", cookieHeader)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(logout.headers().allValues("Set-Cookie"))
          .hasSize(2)
          .allMatch(c -> c.contains("Max-Age=0"));
    } finally {
      server.stop();
    }
  }
}
