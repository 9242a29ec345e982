/**
 * The runnable jwt-session demo: {@link dev.jwtsession.demo.DemoApp} starts an embedded Jetty with
 * the servlet filter; {@link dev.jwtsession.demo.DemoConfig} reads its environment variables.
 */
package dev.jwtsession.demo;
