package dev.jwtsession.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.testkit.Browser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A Spring Boot application with nothing but the starter, Spring MVC and the two secret properties
 * gets login, reauth and logout over real HTTP (Tomcat on a loopback port); controllers take the
 * {@link Session} as a parameter, also in async handlers, and {@link Session#current()} works in
 * controllers and on Boot's error page. A test customizer installs a {@link MutableClock}.
 */
@SpringBootTest(
    classes = SpringBootHttpTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "jwt-session.access.secret=" + TestSecrets.ACCESS,
      "jwt-session.refresh.secret=" + TestSecrets.REFRESH,
      "server.address=127.0.0.1",
      "spring.main.banner-mode=off"
    })
class SpringBootHttpTest {

  static final String ACCESS = "jwt_session_access";
  static final String REFRESH = "jwt_session_refresh";

  @LocalServerPort int port;

  @Autowired MutableClock clock;

  Browser browser() {
    return new Browser("http://127.0.0.1:" + port);
  }

  Browser loggedIn(String sub) throws Exception {
    Browser browser = browser();
    HttpResponse<String> login = browser.post("/login?sub=" + sub);
    assertThat(login.statusCode()).isEqualTo(204);
    assertThat(Browser.setCookieNames(login)).containsExactlyInAnyOrder(ACCESS, REFRESH);
    return browser;
  }

  @Test
  void loginThenReauthAfterTheAccessTokenExpiredThenLogout() throws Exception {
    Browser browser = loggedIn("alice");

    HttpResponse<String> me = browser.get("/me");
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo("sub=alice;reauth=false");
    assertThat(Browser.setCookies(me)).isEmpty();

    clock.advance(Duration.ofMinutes(2)); // the default access max-age is 1 minute
    HttpResponse<String> renewed = browser.get("/me");
    assertThat(renewed.statusCode()).isEqualTo(200);
    assertThat(renewed.body()).isEqualTo("sub=alice;reauth=true");
    assertThat(Browser.setCookieNames(renewed)).contains(ACCESS);

    HttpResponse<String> logout = browser.post("/logout");
    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(Browser.setCookies(logout))
        .hasSize(2)
        .allSatisfy(header -> assertThat(header).contains("Max-Age=0"));
    assertThat(browser.cookies()).isEmpty();
    assertThat(browser.get("/me").statusCode()).isEqualTo(401);
  }

  @Test
  void aControllerTakesTheSessionAsAParameter() throws Exception {
    Browser browser = browser();
    assertThat(browser.get("/me").body()).isEqualTo("anonymous");

    browser = loggedIn("bob");
    assertThat(browser.get("/me").body()).isEqualTo("sub=bob;reauth=false");
  }

  @Test
  void sessionCurrentWorksInsideAController() throws Exception {
    assertThat(browser().get("/current").body()).isEqualTo("bound anonymous");
    assertThat(loggedIn("carol").get("/current").body()).isEqualTo("bound sub=carol");
  }

  @Test
  void sessionCurrentWorksOnBootsErrorPageAfterAControllerThrew() throws Exception {
    HttpResponse<String> error = loggedIn("dave").get("/boom");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.headers().firstValue(ERROR_PAGE_HEADER)).contains("bound sub=dave");
  }

  @Test
  void aDeferredResultHandlerReadsTheSessionParameterOnAnotherThread() throws Exception {
    HttpResponse<String> deferred = loggedIn("erin").get("/deferred");

    assertThat(deferred.statusCode()).isEqualTo(200);
    assertThat(deferred.body()).isEqualTo("deferred sub=erin");
  }

  @Test
  void aCallableReadsTheSessionParameterWhereSessionCurrentIsUnbound() throws Exception {
    HttpResponse<String> callable = loggedIn("frank").get("/callable");

    assertThat(callable.statusCode()).isEqualTo(200);
    assertThat(callable.body()).isEqualTo("callable sub=frank, current bound=false");
  }

  @Test
  void aReauthenticatingRequestThatEndsOnTheErrorPageSetsEachCookieOnce() throws Exception {
    Browser browser = loggedIn("grace");
    clock.advance(Duration.ofMinutes(2));

    HttpResponse<String> error = browser.get("/boom");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(Browser.setCookieNames(error)).contains(ACCESS).doesNotHaveDuplicates();
    assertThat(error.headers().firstValue(ERROR_PAGE_HEADER)).contains("bound sub=grace");
    assertThat(browser.get("/me").body()).isEqualTo("sub=grace;reauth=false");
  }

  static final String ERROR_PAGE_HEADER = "X-Error-Page-Session";

  static String describe(Optional<Session> session) {
    return session
        .map(s -> s.isAuthenticated() ? "bound sub=" + s.subject().orElse("") : "bound anonymous")
        .orElse("unbound");
  }

  /** The application: the auto-configuration, the routes, a clock the tests move. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Routes.class)
  static class App {

    @Bean
    MutableClock clock() {
      return MutableClock.atFixedStart();
    }

    @Bean
    JwtSessionBuilderCustomizer testClock(MutableClock clock) {
      return builder -> builder.clock(clock);
    }

    /** Reports what {@code Session.current()} is while Boot renders its error page. */
    @Bean
    WebMvcConfigurer errorPageProbe() {
      return new WebMvcConfigurer() {
        @Override
        public void addInterceptors(InterceptorRegistry registry) {
          registry
              .addInterceptor(
                  new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(
                        HttpServletRequest request, HttpServletResponse response, Object handler) {
                      response.setHeader(ERROR_PAGE_HEADER, describe(Session.currentIfBound()));
                      return true;
                    }
                  })
              .addPathPatterns("/error");
        }
      };
    }
  }

  @RestController
  static class Routes {

    @PostMapping("/login")
    ResponseEntity<Void> login(Session session, @RequestParam(name = "sub") String sub) {
      session.login(Payloads.of(Map.of("sub", sub), Map.of("sub", sub)));
      return ResponseEntity.noContent().build();
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(Session session) {
      session.logout();
      return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    ResponseEntity<String> me(Session session) {
      if (!session.isAuthenticated()) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body("anonymous");
      }
      return ResponseEntity.ok(
          "sub=" + session.subject().orElse("") + ";reauth=" + session.reauthenticated());
    }

    @GetMapping("/current")
    String current() {
      return describe(Optional.of(Session.current()));
    }

    @GetMapping("/boom")
    String boom() {
      throw new IllegalStateException("a controller that fails");
    }

    @GetMapping("/deferred")
    DeferredResult<String> deferred(Session session) {
      DeferredResult<String> result = new DeferredResult<>();
      CompletableFuture.runAsync(
          () -> result.setResult("deferred sub=" + session.subject().orElse("-")));
      return result;
    }

    @GetMapping("/callable")
    Callable<String> callable(Session session) {
      return () ->
          "callable sub="
              + session.subject().orElse("-")
              + ", current bound="
              + Session.currentIfBound().isPresent();
    }
  }
}
