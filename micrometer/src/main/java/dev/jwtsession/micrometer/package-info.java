/**
 * jwt-session on Micrometer: {@link dev.jwtsession.micrometer.JwtSessionMetrics} counts what the
 * engine's {@link dev.jwtsession.SessionListener} hears (logins, renewals, rejections by reason,
 * theft alarms, logouts, revocations), {@link dev.jwtsession.micrometer.MeteredRefreshTokenStore}
 * times every refresh-token store call, and {@link dev.jwtsession.micrometer.ObservedReauth} makes
 * the application's user lookup an {@code Observation} (a span in a tracing backend).
 *
 * <p>Every tag value comes from a fixed set, never from the request: the number of meters is
 * bounded whatever clients send. Nothing runs on the valid-access-token path.
 */
package dev.jwtsession.micrometer;
