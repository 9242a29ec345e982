package dev.jwtsession.benchmarks.boot;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import dev.jwtsession.spi.CookieSink;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.SessionRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot 4.0.7 application on Tomcat with one trivial controller ({@code GET /hello}) and one way
 * to know the user, chosen by the first argument:
 *
 * <ul>
 *   <li>{@code plain}: none (the reference);
 *   <li>{@code starter}: jwt-session's starter, a valid access cookie;
 *   <li>{@code spring-session}: Spring Session Data Redis, a logged-in session (a real {@code
 *       redis-server}, URL in the third argument);
 *   <li>{@code resource-server}: Spring Security's OAuth2 resource server verifying an HS256 bearer
 *       JWT with {@code NimbusJwtDecoder} on every request.
 * </ul>
 *
 * <p>Usage: {@code java -jar jwt-session-spring-boot-benchmark.jar <mode> <port> [redis-url]}. Once
 * ready it writes the request header wrk must send (a cookie or a bearer token) to {@code
 * target/boot-<mode>.header}, one line {@code Name: value}. Listens on 127.0.0.1 only.
 */
@SpringBootApplication
public class BootLoadApp {

  static final String SECRET_TEXT = "benchmark-secret-not-for-production-use!";

  private static final List<String> SECURITY =
      List.of(
          "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
          "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration");
  private static final List<String> SESSION =
      List.of(
          "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
          "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration");
  private static final List<String> JWT_SESSION =
      List.of(
          "dev.jwtsession.spring.boot.JwtSessionAutoConfiguration",
          "dev.jwtsession.spring.boot.JwtSessionServletAutoConfiguration");

  /** Used by Spring. */
  public BootLoadApp() {}

  /** Starts one mode; see the class comment. */
  public static void main(String[] args) {
    String mode = args[0];
    List<String> exclude = new ArrayList<>();
    switch (mode) {
      case "plain" -> {
        exclude.addAll(SECURITY);
        exclude.addAll(SESSION);
        exclude.addAll(JWT_SESSION);
      }
      case "starter" -> {
        exclude.addAll(SECURITY);
        exclude.addAll(SESSION);
      }
      case "spring-session" -> {
        exclude.addAll(SECURITY);
        exclude.addAll(JWT_SESSION);
      }
      case "resource-server" -> {
        exclude.addAll(SESSION);
        exclude.addAll(JWT_SESSION);
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    SpringApplication application = new SpringApplication(BootLoadApp.class);
    application.setAdditionalProfiles(mode);
    application.setDefaultProperties(
        Map.of(
            "spring.autoconfigure.exclude",
            String.join(",", exclude),
            "server.address",
            "127.0.0.1",
            "server.port",
            args[1],
            "spring.data.redis.url",
            args.length > 2 ? args[2] : "redis://127.0.0.1:6379",
            "jwt-session.access.secret",
            SECRET_TEXT,
            "jwt-session.refresh.secret",
            SECRET_TEXT + "-refresh",
            "jwt-session.access.max-age",
            "2h",
            "spring.main.banner-mode",
            "off",
            "logging.level.root",
            "WARN"));
    application.run(args);
  }

  /** The trivial endpoint: who the request belongs to, as each mode knows it. */
  @RestController
  static class Hello {

    @GetMapping("/hello")
    String hello(HttpServletRequest request) {
      if (request.getAttribute(JwtSessionFilter.ATTRIBUTE) instanceof Session session) {
        return "hello " + session.subject().orElse("stranger");
      }
      HttpSession httpSession = request.getSession(false);
      if (httpSession != null) {
        return "hello " + httpSession.getAttribute("user");
      }
      Principal principal = request.getUserPrincipal();
      return "hello " + (principal == null ? "stranger" : principal.getName());
    }
  }

  /** Writes the header wrk sends once the application is ready. */
  @Configuration(proxyBeanMethods = false)
  static class Credentials {

    @EventListener
    @SuppressWarnings({"unchecked", "rawtypes"})
    void ready(ApplicationReadyEvent event) throws IOException, JOSEException {
      ApplicationContext context = event.getApplicationContext();
      String mode = context.getEnvironment().getActiveProfiles()[0];
      String header =
          switch (mode) {
            case "starter" -> "Cookie: jwt_session_access=" + accessToken(context);
            case "spring-session" -> {
              SessionRepository repository = context.getBean(SessionRepository.class);
              org.springframework.session.Session session = repository.createSession();
              session.setAttribute("user", "alice");
              repository.save(session);
              yield "Cookie: SESSION="
                  + Base64.getEncoder()
                      .encodeToString(session.getId().getBytes(StandardCharsets.UTF_8));
            }
            case "resource-server" -> "Authorization: Bearer " + bearer();
            default -> "Cookie: other=" + bearer(); // the same header size class, unread
          };
      Path file = Path.of("target", "boot-" + mode + ".header");
      Files.createDirectories(file.getParent());
      Files.writeString(file, header + "\n");
    }

    private static String accessToken(ApplicationContext context) {
      JwtSession engine = context.getBean(JwtSession.class);
      List<String> setCookies = new ArrayList<>();
      CookieSink sink =
          new CookieSink() {
            @Override
            public void preventCaching() {}

            @Override
            public boolean isCommitted() {
              return false;
            }

            @Override
            public void add(String setCookieHeader) {
              setCookies.add(setCookieHeader);
            }

            @Override
            public void replace(String cookieName, String setCookieHeader) {
              setCookies.removeIf(h -> h.startsWith(cookieName + "="));
              setCookies.add(setCookieHeader);
            }
          };
      engine.resolve(null, sink).login(Payloads.accessOnly(Map.of("sub", "alice", "role", "user")));
      String access =
          setCookies.stream()
              .filter(h -> h.startsWith("jwt_session_access="))
              .findFirst()
              .orElseThrow();
      return access.substring("jwt_session_access=".length(), access.indexOf(';'));
    }

    static String bearer() throws JOSEException {
      Instant now = Instant.now();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .subject("alice")
                  .claim("role", "user")
                  .issueTime(Date.from(now))
                  .expirationTime(Date.from(now.plusSeconds(7200)))
                  .build());
      jwt.sign(new MACSigner(SECRET_TEXT.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    }
  }

  /** Spring Security's resource server: a bearer JWT verified on every request, no session. */
  @Configuration(proxyBeanMethods = false)
  @Profile("resource-server")
  static class ResourceServer {

    @Bean
    JwtDecoder jwtDecoder() {
      return NimbusJwtDecoder.withSecretKey(
              new SecretKeySpec(SECRET_TEXT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
          .build();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oauth2ResourceServer(o -> o.jwt(jwt -> {}))
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .csrf(c -> c.disable())
          .build();
    }
  }
}
