/**
 * The Jakarta Servlet adapter: {@link dev.jwtsession.servlet.JwtSessionFilter} for every request,
 * and for API clients {@link dev.jwtsession.servlet.TokenEndpointServlet} (token refresh) and
 * {@link dev.jwtsession.servlet.TokenResponses} (the same JSON from the application's own login).
 */
package dev.jwtsession.servlet;
