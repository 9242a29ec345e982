/**
 * The Spring Boot load benchmark application ({@link dev.jwtsession.benchmarks.boot.BootLoadApp});
 * {@code benchmarks/spring-boot-load.sh} runs it.
 */
package dev.jwtsession.benchmarks.boot;
