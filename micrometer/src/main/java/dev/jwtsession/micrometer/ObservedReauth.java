package dev.jwtsession.micrometer;

import dev.jwtsession.Claims;
import dev.jwtsession.Payloads;
import dev.jwtsession.Reauth;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * Wraps the application's {@link Reauth} in an {@link Observation} named {@value #NAME}, so a
 * tracing backend shows the user lookup behind a renewal as a span (and, with Micrometer's default
 * meter handler, a timer of the same name). The low-cardinality key {@code outcome} is {@code
 * renewed} (payloads returned), {@code refused} (empty) or {@code failed} (it threw; the exception
 * is recorded on the observation and rethrown, so the engine treats it as before).
 *
 * <pre>{@code
 * .reauth(new ObservedReauth(refresh -> users.findActive(...), observationRegistry))
 * }</pre>
 */
public final class ObservedReauth implements Reauth {

  /** The observation name. */
  public static final String NAME = "jwt.session.reauth";

  private final Reauth delegate;
  private final ObservationRegistry registry;

  /** Observes {@code delegate}'s calls in {@code registry}. */
  public ObservedReauth(Reauth delegate, ObservationRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public Optional<Payloads> reauth(Claims refreshClaims) {
    Observation observation =
        Observation.createNotStarted(NAME, registry).contextualName("jwt-session reauth").start();
    String outcome = "failed";
    try (Observation.Scope scope = observation.openScope()) {
      Optional<Payloads> answer = delegate.reauth(refreshClaims);
      outcome = answer == null || answer.isEmpty() ? "refused" : "renewed";
      return answer;
    } catch (RuntimeException e) {
      observation.error(e);
      throw e;
    } finally {
      observation.lowCardinalityKeyValue("outcome", outcome);
      observation.stop();
    }
  }

  @Override
  public String toString() {
    return "ObservedReauth[" + delegate + "]";
  }
}
