package dev.jwtsession.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jwtsession.InMemoryRefreshTokenStore;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.spi.RefreshTokenStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The README's "API clients" snippet is this class's {@code api-clients} region, verbatim, and it
 * works over real HTTP: token login, a bearer request, a refresh.
 */
class ApiClientsReadmeTest {

  private final RefreshTokenStore store = InMemoryRefreshTokenStore.create();
  private final String accessSecret = "readme-access-secret-that-is-32-bytes-long";
  private final String refreshSecret = "readme-refresh-secret-that-is-32-bytes-lon";

  private static Optional<Payloads> findActive(dev.jwtsession.Claims refresh) {
    return Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims()));
  }

  // spotless:off (laid out for the README, which shows the region verbatim)
  private Server app(HttpServlet me) {
    Map<String, Object> claims = Map.of("sub", "alice");
    ServletContextHandler context = new ServletContextHandler();
    // tag::api-clients[]
    JwtSession sessions = JwtSession.builder()
        .access(t -> t.cookieName("app_session").maxAge(Duration.ofMinutes(15)).secret(accessSecret))
        .refresh(t -> t.cookieName("app_refresh").maxAge(Duration.ofDays(7)).secret(refreshSecret))
        .reauth(refresh -> findActive(refresh))
        .rotation(r -> r.store(store))
        .bearer(b -> b.enabled(true))                 // default: off (cookies only)
        .build();
    context.addFilter(new FilterHolder(new JwtSessionFilter(sessions)), "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    // the application's own login endpoint for API clients checks the credentials, then answers
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        TokenResponses.write(response, sessions.issueTokens(Payloads.of(claims, claims)));
      }
    }), "/api/token");
    // the refresh endpoint; API logout is sessions.revokeRefreshToken(refreshToken)
    context.addServlet(new ServletHolder(new TokenEndpointServlet(sessions)), "/api/token/refresh");
    // end::api-clients[]
    context.addServlet(new ServletHolder(me), "/api/me");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    return server;
  }
  // spotless:on

  @Test
  void theReadmeWiringServesTokenLoginBearerRequestsAndRefresh() throws Exception {
    Server server =
        app(
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response)
                  throws IOException {
                response.getWriter().write(JwtSessionFilter.session(request).authMethod().name());
              }
            });
    server.start();
    try {
      String base =
          "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/token"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, Object> tokens = JSONObjectUtils.parse(login.body());
      HttpResponse<String> me =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/me"))
                  .header("Authorization", "Bearer " + tokens.get("access_token"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> refresh =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/token/refresh"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "grant_type=refresh_token&refresh_token=" + tokens.get("refresh_token")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(me.body()).isEqualTo("BEARER");
      assertThat(refresh.statusCode()).isEqualTo(200);
    } finally {
      server.stop();
    }
  }

  @Test
  void theReadmeShowsTheApiClientsRegionVerbatim() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/dev/jwtsession/servlet/ApiClientsReadmeTest.java"));
    Matcher region =
        Pattern.compile(
                "// tag::api-clients\\[]\\n(.*?)\\n\\s*// end::api-clients\\[]", Pattern.DOTALL)
            .matcher(source);
    assertThat(region.find()).isTrue();
    StringBuilder dedented = new StringBuilder();
    for (String line : region.group(1).lines().toList()) {
      dedented.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }

    assertThat(Files.readString(Path.of("../README.md")))
        .contains(dedented.toString().stripTrailing());
  }
}
