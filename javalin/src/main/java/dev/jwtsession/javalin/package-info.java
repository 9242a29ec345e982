/**
 * The Javalin 7 adapter: {@link dev.jwtsession.javalin.JwtSessionPlugin}, a thin plugin over the
 * servlet adapter's {@link dev.jwtsession.servlet.JwtSessionFilter}.
 */
package dev.jwtsession.javalin;
