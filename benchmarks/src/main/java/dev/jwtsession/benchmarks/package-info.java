/**
 * Benchmarks, not a library: JMH classes comparing the engine with Nimbus, java-jwt, jjwt and the
 * HMAC floor ({@link dev.jwtsession.benchmarks.EngineBenchmark}, {@link
 * dev.jwtsession.benchmarks.VerifyBaselinesBenchmark}), and the Jetty server {@code load.sh} drives
 * with wrk. Commands and figures: BENCHMARKS.md.
 */
package dev.jwtsession.benchmarks;
