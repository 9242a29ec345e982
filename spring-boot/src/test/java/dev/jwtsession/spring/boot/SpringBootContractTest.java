package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.testkit.AdapterContract;
import dev.jwtsession.testkit.ContractRoutes;
import dev.jwtsession.testkit.ContractRoutes.Reply;
import dev.jwtsession.testkit.ServerUnderTest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The adapter contract against a Spring Boot application on Tomcat: the engine is the application's
 * {@code JwtSession} bean, the auto-configuration registers the filter, and the contract routes are
 * a {@code @RestController} taking a {@link Session} parameter.
 */
class SpringBootContractTest extends AdapterContract {

  @Override
  protected ServerUnderTest start(JwtSession engine) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ContractApp.class)
            .initializers(
                c ->
                    ((GenericApplicationContext) c)
                        .registerBean("jwtSession", JwtSession.class, () -> engine))
            .properties(
                "server.address=127.0.0.1",
                "server.port=0",
                "spring.main.banner-mode=off",
                "spring.main.log-startup-info=false",
                "logging.level.root=WARN")
            .run();
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    URI base = URI.create("http://127.0.0.1:" + port);
    return new ServerUnderTest() {
      @Override
      public URI baseUri() {
        return base;
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }

  /**
   * A Boot application with only the contract controller and the auto-configurations it needs (Boot
   * 4 names; this test is not among those spring-boot-tests-boot3 runs): one Boot start per
   * scenario, so fewer auto-configurations keep the run short.
   */
  @SpringBootConfiguration
  @ImportAutoConfiguration({
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    JwtSessionAutoConfiguration.class,
    JwtSessionServletAutoConfiguration.class
  })
  @Import(ContractController.class)
  static class ContractApp {}

  /** The contract routes as Spring MVC handlers. */
  @RestController
  static class ContractController {

    private final JwtSession engine;
    private final ContractRoutes routes;

    ContractController(JwtSession engine) {
      this.engine = engine;
      this.routes = ContractRoutes.of(engine);
    }

    private static ResponseEntity<String> answer(Reply reply) {
      if (reply.status() == 204) {
        return ResponseEntity.noContent().build();
      }
      return ResponseEntity.status(reply.status())
          .contentType(MediaType.parseMediaType(ContractRoutes.CONTENT_TYPE))
          .body(reply.body());
    }

    @GetMapping(ContractRoutes.ME)
    ResponseEntity<String> me(Session session) {
      return answer(routes.me(session));
    }

    @PostMapping(ContractRoutes.LOGIN)
    ResponseEntity<String> login(
        Session session, @RequestParam(name = "sub", required = false) String sub) {
      return answer(routes.login(session, sub));
    }

    @PostMapping(ContractRoutes.LOGOUT)
    ResponseEntity<String> logout(Session session) {
      return answer(routes.logout(session));
    }

    @PostMapping(ContractRoutes.LOGOUT_ALL)
    ResponseEntity<String> logoutAll(Session session) {
      return answer(routes.logoutAll(session));
    }

    @GetMapping(ContractRoutes.LATE_LOGIN)
    void lateLogin(Session session, HttpServletResponse response) throws IOException {
      response.setStatus(200);
      response.setContentType(ContractRoutes.CONTENT_TYPE);
      response.getWriter().write(ContractRoutes.LATE_LOGIN_BODY);
      routes.lateLogin(session);
    }

    @GetMapping(ContractRoutes.COMMITTED_LOGIN)
    void committedLogin(Session session, HttpServletResponse response) throws IOException {
      response.setStatus(200);
      response.setContentType(ContractRoutes.CONTENT_TYPE);
      response.getWriter().write(ContractRoutes.COMMITTED_BODY);
      response.flushBuffer();
      response.getWriter().write(routes.committedLogin(session));
    }

    @PostMapping(ContractRoutes.OWN_COOKIE_THEN_LOGOUT)
    ResponseEntity<String> ownCookieThenLogout(Session session, HttpServletResponse response) {
      response.addHeader("Set-Cookie", ContractRoutes.OWN_COOKIE);
      return answer(routes.ownCookieThenLogout(session));
    }

    @PostMapping(ContractRoutes.TOKENS)
    ResponseEntity<String> tokens(@RequestParam(name = "sub", required = false) String sub) {
      return ResponseEntity.ok()
          .header("Cache-Control", "no-store")
          .contentType(MediaType.APPLICATION_JSON)
          .body(ContractRoutes.tokenJson(routes.tokens(engine, sub)));
    }

    @GetMapping(ContractRoutes.CURRENT)
    ResponseEntity<String> current() {
      return answer(routes.current());
    }

    @PostMapping(ContractRoutes.FORM)
    ResponseEntity<String> form() {
      return answer(routes.form());
    }
  }
}
