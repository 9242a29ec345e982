package dev.jwtsession.spring.boot;

import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves controller method parameters of type {@link Session} from the request attribute {@link
 * JwtSessionFilter#ATTRIBUTE}. Unlike {@link Session#current()}, which is bound to the request
 * thread, the parameter may be used inside the {@code Callable} or {@code DeferredResult} the
 * handler returns.
 */
public class SessionArgumentResolver implements HandlerMethodArgumentResolver {

  /** A resolver; the auto-configuration registers one. */
  public SessionArgumentResolver() {}

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Session.class;
  }

  @Override
  public Session resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    if (webRequest.getAttribute(JwtSessionFilter.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
        instanceof Session session) {
      return session;
    }
    throw new IllegalStateException(
        "No jwt-session Session on this request for parameter '"
            + parameter.getParameterName()
            + "' of "
            + parameter.getExecutable()
            + ": JwtSessionFilter is not mapped to this path; check"
            + " jwt-session.filter.url-patterns");
  }
}
