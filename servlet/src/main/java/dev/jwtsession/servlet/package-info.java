/** The Jakarta Servlet adapter: {@link dev.jwtsession.servlet.JwtSessionFilter}. */
package dev.jwtsession.servlet;
