/**
 * The adapter test kit: {@link dev.jwtsession.testkit.AdapterContract}, the scenarios every
 * jwt-session adapter passes over real HTTP, with the framework-neutral part of its routes ({@link
 * dev.jwtsession.testkit.ContractRoutes}), a cookie-keeping HTTP client ({@link
 * dev.jwtsession.testkit.Browser}) and the checks run after every test ({@link
 * dev.jwtsession.testkit.SessionInvariants}). Test-support code: use it in test scope.
 */
package dev.jwtsession.testkit;
