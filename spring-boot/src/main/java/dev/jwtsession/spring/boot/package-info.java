/**
 * jwt-session on Spring Boot: {@link dev.jwtsession.spring.boot.JwtSessionAutoConfiguration} builds
 * the engine from {@link dev.jwtsession.spring.boot.JwtSessionProperties} ({@code jwt-session.*})
 * and the application's beans, {@link
 * dev.jwtsession.spring.boot.JwtSessionServletAutoConfiguration} registers the servlet filter and
 * the {@code Session} controller argument, and {@link
 * dev.jwtsession.spring.boot.JwtSessionFailureAnalyzer} turns configuration mistakes into a startup
 * report keyed by property name. Works on Spring Boot 4.0 and 3.5 (only classes present on both are
 * referenced).
 */
package dev.jwtsession.spring.boot;
