package dev.jwtsession.spring.boot;

import dev.jwtsession.JwtSession;
import dev.jwtsession.servlet.JwksServlet;
import dev.jwtsession.servlet.JwtSessionFilter;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts jwt-session in front of a servlet web application: registers {@link JwtSessionFilter} for
 * {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatches at order {@code -101}, one before
 * Spring Security's filter chain ({@code -100} on Boot 3.5 and 4.0), and, with Spring MVC, lets
 * controller methods take a {@link dev.jwtsession.Session} parameter ({@link
 * SessionArgumentResolver}). Each bean steps aside for one of the application's.
 */
@AutoConfiguration(after = JwtSessionAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({JwtSession.class, JwtSessionFilter.class})
@ConditionalOnBean(JwtSession.class)
public class JwtSessionServletAutoConfiguration {

  /** Used by Spring Boot. */
  public JwtSessionServletAutoConfiguration() {}

  /** The filter, mapped to {@code jwt-session.filter.url-patterns} at {@code filter.order}. */
  @Bean
  @ConditionalOnMissingBean(
      value = JwtSessionFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  public FilterRegistrationBean<JwtSessionFilter> jwtSessionFilterRegistration(
      JwtSession engine, JwtSessionProperties properties) {
    FilterRegistrationBean<JwtSessionFilter> registration =
        new FilterRegistrationBean<>(new JwtSessionFilter(engine));
    registration.setName("jwtSessionFilter");
    registration.setUrlPatterns(List.copyOf(properties.getFilter().getUrlPatterns()));
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.setOrder(properties.getFilter().getOrder());
    return registration;
  }

  /**
   * The JWKS endpoint ({@link JwksServlet}) at {@code jwt-session.jwks.path}, when {@code
   * jwt-session.jwks.enabled=true}. HMAC-only or encrypted access keys fail the start-up.
   */
  @Bean
  @ConditionalOnProperty(prefix = "jwt-session.jwks", name = "enabled", havingValue = "true")
  @ConditionalOnMissingBean(
      value = JwksServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  public ServletRegistrationBean<JwksServlet> jwtSessionJwksRegistration(
      JwtSession engine, JwtSessionProperties properties) {
    JwtSessionProperties.Jwks jwks = properties.getJwks();
    ServletRegistrationBean<JwksServlet> registration =
        new ServletRegistrationBean<>(new JwksServlet(engine, jwks.getMaxAge()), jwks.getPath());
    registration.setName("jwtSessionJwks");
    return registration;
  }

  /** Spring MVC: {@code Session} as a controller method parameter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebMvcConfigurer.class)
  static class MvcConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SessionArgumentResolver jwtSessionArgumentResolver() {
      return new SessionArgumentResolver();
    }

    @Bean
    WebMvcConfigurer jwtSessionWebMvcConfigurer(SessionArgumentResolver resolver) {
      return new WebMvcConfigurer() {
        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
          resolvers.add(resolver);
        }
      };
    }
  }
}
