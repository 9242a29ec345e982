/**
 * The Spring Security bridge: the jwt-session cookie session is Spring Security's {@code
 * SecurityContext}. {@link dev.jwtsession.spring.security.JwtSessionSecurityContextRepository}
 * loads it from the access cookie and writes login and logout as cookies; {@link
 * dev.jwtsession.spring.security.JwtSessionConfigurer} opts a {@code SecurityFilterChain} in with
 * one {@code .with(..)} line.
 */
package dev.jwtsession.spring.security;
