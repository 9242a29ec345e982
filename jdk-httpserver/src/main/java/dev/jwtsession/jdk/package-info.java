/**
 * The adapter for the JDK's own HTTP server ({@code com.sun.net.httpserver}): {@link
 * dev.jwtsession.jdk.JwtSessionHttpFilter}. It depends on nothing but the engine.
 */
package dev.jwtsession.jdk;
