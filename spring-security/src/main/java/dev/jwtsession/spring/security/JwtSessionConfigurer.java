package dev.jwtsession.spring.security;

import dev.jwtsession.JwtSession;
import dev.jwtsession.JwtSessionConfigException;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.FormLoginConfigurer;
import org.springframework.security.config.annotation.web.configurers.HttpBasicConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Opts a {@code SecurityFilterChain} into jwt-session with one line:
 *
 * <pre>{@code
 * http.with(JwtSessionConfigurer.jwtSession(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>It makes {@link JwtSessionSecurityContextRepository} the chain's {@code
 * SecurityContextRepository} (the bean of that type when the application context has one), sets
 * {@code SessionCreationPolicy.STATELESS} and a {@link CookieRequestCache}, so no {@code
 * HttpSession} is created. It does not touch CSRF: choose Spring's cookie CSRF repository or turn
 * Spring's CSRF off and rely on jwt-session's origin check (see the README).
 *
 * <p>The repository becomes the chain's shared one the moment {@code .with(..)} is applied, not in
 * {@code init()}: {@code SessionManagementConfigurer.init()} installs its own default repository
 * when none is there yet, and it initialises before configurers added later. So the line works
 * first or last in the chain. At initialisation, in a Spring Boot application, it fails fast when
 * no {@link JwtSessionFilter} is registered.
 *
 * <p>Two Spring defaults would otherwise break the stateless promise, and are adjusted: HTTP Basic
 * (when enabled) keeps saving into the request only, so an API call never mints session cookies;
 * and form login's default failure handler no longer creates an {@code HttpSession} to carry the
 * error (the login page shows its generic message).
 *
 * <p>For API clients (bearer on in the engine), a request whose {@code Authorization: Bearer} token
 * was refused and that needs authentication gets {@code 401} with {@code WWW-Authenticate: Bearer
 * error="invalid_token"} (RFC 6750 §3) instead of the chain's entry point (a login redirect, say);
 * a valid bearer token becomes the same {@link JwtSessionAuthentication} as a cookie session.
 */
public final class JwtSessionConfigurer
    extends AbstractHttpConfigurer<JwtSessionConfigurer, HttpSecurity> {

  private static final String REGISTRATION_BEAN =
      "org.springframework.boot.web.servlet.FilterRegistrationBean";

  private @Nullable JwtSessionSecurityContextRepository repository;

  private JwtSessionConfigurer(@Nullable JwtSessionSecurityContextRepository repository) {
    this.repository = repository;
  }

  /** The configurer with the context's repository bean, or a default one when there is none. */
  public static JwtSessionConfigurer jwtSession() {
    return new JwtSessionConfigurer(null);
  }

  /** The configurer with this repository. */
  public static JwtSessionConfigurer jwtSession(JwtSessionSecurityContextRepository repository) {
    return new JwtSessionConfigurer(Objects.requireNonNull(repository, "repository"));
  }

  @Override
  public void setBuilder(HttpSecurity http) {
    super.setBuilder(http);
    JwtSessionSecurityContextRepository repo = repository;
    if (repo == null) {
      ApplicationContext context = http.getSharedObject(ApplicationContext.class);
      repo =
          context == null
              ? new JwtSessionSecurityContextRepository()
              : context
                  .getBeanProvider(JwtSessionSecurityContextRepository.class)
                  .getIfAvailable(JwtSessionSecurityContextRepository::new);
      repository = repo;
    }
    // Until init(), the shared repository is a view that never saves: SessionManagementConfigurer
    // takes it for SessionManagementFilter, which would otherwise save every implicit
    // authentication (HTTP Basic, for one) as a login and mint session cookies for API calls.
    SecurityContextRepository view = new NoImplicitSaves(repo);
    http.securityContext(c -> c.securityContextRepository(view));
    http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    http.requestCache(r -> r.requestCache(new CookieRequestCache()));
  }

  @Override
  public void init(HttpSecurity http) {
    // SessionManagementConfigurer has initialised (it always comes first); login, logout and the
    // context filter, configured later, get the repository itself.
    JwtSessionSecurityContextRepository repo = repository;
    if (repo != null) {
      http.securityContext(c -> c.securityContextRepository(repo));
    }
    keepLoginFailuresStateless(http);
    keepHttpBasicStateless(http);
    requireFilter(http);
  }

  /**
   * Installs the bearer entry point: a request whose bearer token was refused and that needs
   * authentication gets {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"}.
   */
  @Override
  public void configure(HttpSecurity http) {
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    Supplier<@Nullable JwtSession> engine =
        context == null
            ? () -> null
            : () -> context.getBeanProvider(JwtSession.class).getIfUnique();
    http.addFilterAfter(new BearerChallenge(engine), ExceptionTranslationFilter.class);
  }

  /**
   * Spring's default login failure handler keeps the exception in a new {@code HttpSession}; the
   * login page shows its generic message without it. Only a {@link
   * SimpleUrlAuthenticationFailureHandler} (the default and {@code failureUrl(..)}'s) is changed.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void keepLoginFailuresStateless(HttpSecurity http) {
    FormLoginConfigurer<HttpSecurity> form = http.getConfigurer(FormLoginConfigurer.class);
    if (form != null) {
      form.withObjectPostProcessor(
          new ObjectPostProcessor<UsernamePasswordAuthenticationFilter>() {
            @Override
            public <O extends UsernamePasswordAuthenticationFilter> O postProcess(O filter) {
              if (failureHandlerOf(filter)
                  instanceof SimpleUrlAuthenticationFailureHandler failure) {
                failure.setAllowSessionCreation(false);
              }
              return filter;
            }
          });
    }
  }

  /** The filter's failure handler: a protected getter, stable since Spring Security 3. */
  private static @Nullable Object failureHandlerOf(AbstractAuthenticationProcessingFilter filter) {
    Method getter =
        ReflectionUtils.findMethod(
            AbstractAuthenticationProcessingFilter.class, "getFailureHandler");
    if (getter == null) {
      return null;
    }
    ReflectionUtils.makeAccessible(getter);
    return ReflectionUtils.invokeMethod(getter, filter);
  }

  /**
   * HTTP Basic authenticates one request: it saves into the request, as it does by default, not
   * into the chain's repository (which would mint session cookies for every API call).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void keepHttpBasicStateless(HttpSecurity http) {
    HttpBasicConfigurer<HttpSecurity> basic = http.getConfigurer(HttpBasicConfigurer.class);
    if (basic != null) {
      basic.withObjectPostProcessor(
          new ObjectPostProcessor<BasicAuthenticationFilter>() {
            @Override
            public <O extends BasicAuthenticationFilter> O postProcess(O filter) {
              filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
              return filter;
            }
          });
    }
  }

  /** Loads through the repository; ignores saves. */
  private record NoImplicitSaves(SecurityContextRepository repository)
      implements SecurityContextRepository {

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
      return repository.loadDeferredContext(request);
    }

    @Deprecated
    @Override
    @SuppressWarnings("InlineMeSuggester")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
      return loadDeferredContext(holder.getRequest()).get();
    }

    @Override
    public void saveContext(
        SecurityContext context, HttpServletRequest request, HttpServletResponse response) {}

    @Override
    public boolean containsContext(HttpServletRequest request) {
      return repository.containsContext(request);
    }
  }

  private static void requireFilter(HttpSecurity http) {
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    ClassLoader loader = JwtSessionConfigurer.class.getClassLoader();
    if (context == null || !ClassUtils.isPresent(REGISTRATION_BEAN, loader)) {
      return; // outside Spring Boot, filters are registered where no bean shows them
    }
    ResolvableType registration =
        ResolvableType.forClassWithGenerics(
            ClassUtils.resolveClassName(REGISTRATION_BEAN, loader), JwtSessionFilter.class);
    if (context.getBeanNamesForType(JwtSessionFilter.class, true, false).length == 0
        && context.getBeanNamesForType(registration, true, false).length == 0) {
      throw new JwtSessionConfigException(
          List.of(
              "filter: a SecurityFilterChain uses JwtSessionConfigurer but no JwtSessionFilter is"
                  + " registered, so Spring Security would find no session. Add"
                  + " jwt-session-spring-boot (it registers the filter at order -101), or declare a"
                  + " FilterRegistrationBean<JwtSessionFilter> ordered before the Spring Security"
                  + " filter."));
    }
  }
}
