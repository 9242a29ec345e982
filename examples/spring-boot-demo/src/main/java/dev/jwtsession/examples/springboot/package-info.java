/**
 * The jwt-session demo as a Spring Boot application: the starter, Spring MVC on Tomcat and two
 * secret properties; {@link dev.jwtsession.examples.springboot.DemoApplication} is the entry point.
 */
package dev.jwtsession.examples.springboot;
