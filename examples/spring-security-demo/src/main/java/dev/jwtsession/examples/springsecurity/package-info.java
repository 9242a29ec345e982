/**
 * A Spring Boot application secured by Spring Security whose session is the jwt-session cookies:
 * form login, logout, a role-protected page and a method-security service.
 */
package dev.jwtsession.examples.springsecurity;
