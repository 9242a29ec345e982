package dev.jwtsession.spring.security;

import dev.jwtsession.Session;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The routes of {@link BridgeTestApp}. */
@Configuration(proxyBeanMethods = false)
class BridgeTestControllers {

  /** The {@code @PreAuthorize} service behind {@code GET /api/admin/report}. */
  static class ReportService {
    @PreAuthorize("hasRole('admin')")
    public String report() {
      return "report";
    }
  }

  @Bean
  ReportService reportService() {
    return new ReportService();
  }

  /** Registered as a member component of this configuration. */
  @RestController
  static class Routes {
    private final ReportService reports;

    Routes(ReportService reports) {
      this.reports = reports;
    }

    /** Who Spring Security sees, and whether jwt-session renewed the access token. */
    @GetMapping("/me")
    String me(@AuthenticationPrincipal JwtSessionPrincipal principal, Authentication auth) {
      return "sub="
          + principal.subject()
          + ";authorities="
          + auth.getAuthorities().stream()
              .map(GrantedAuthority::getAuthority)
              .sorted()
              .collect(Collectors.joining(","))
          + ";reauthenticated="
          + Session.current().reauthenticated();
    }

    @GetMapping("/public")
    String open() {
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      return auth == null || !auth.isAuthenticated() || "anonymousUser".equals(auth.getName())
          ? "anonymous"
          : "user=" + auth.getName();
    }

    @GetMapping("/admin")
    String admin() {
      return "admin page";
    }

    @GetMapping("/api/admin/report")
    String report() {
      return reports.report();
    }

    @GetMapping("/api/basic/me")
    String basic(Authentication auth) {
      return "basic=" + auth.getName();
    }

    /** The masked CSRF token a page would embed in its forms. */
    @GetMapping("/csrf")
    String csrf(CsrfToken token) {
      return token.getToken();
    }
  }
}
