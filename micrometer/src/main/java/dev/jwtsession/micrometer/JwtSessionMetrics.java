package dev.jwtsession.micrometer;

import dev.jwtsession.Claims;
import dev.jwtsession.RejectionReason;
import dev.jwtsession.SessionListener;
import dev.jwtsession.TokenType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Session events as Micrometer counters: install it as (or {@linkplain SessionListener#composite
 * among}) the engine's listener and bind it to the registry.
 *
 * <pre>{@code
 * JwtSessionMetrics metrics = new JwtSessionMetrics();
 * metrics.bindTo(registry); // Spring Boot binds every MeterBinder bean itself
 * JwtSession.builder()...listener(SessionListener.composite(new LoggingListener(), metrics))
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@code jwt.session.logins}</td><td>-</td><td>logins ({@code Session.login},
 *       {@code issueTokens})</td></tr>
 *   <tr><td>{@code jwt.session.reauthentications}</td><td>{@code outcome} = {@code renewed},
 *       {@code refused}, {@code failed}, {@code store.unavailable}</td><td>renewals from a refresh
 *       token: renewed; the {@code Reauth} refused; it threw or returned unusable payloads; the
 *       store could not be reached</td></tr>
 *   <tr><td>{@code jwt.session.rejections}</td><td>{@code token} = {@code access}, {@code
 *       refresh}; {@code reason} = the {@link RejectionReason} in lower-case dot form ({@code
 *       bad.signature})</td><td>tokens not accepted</td></tr>
 *   <tr><td>{@code jwt.session.reuse.detections}</td><td>-</td><td>theft alarms: a rotated refresh
 *       token used again after the grace window</td></tr>
 *   <tr><td>{@code jwt.session.logouts}</td><td>-</td><td>logouts</td></tr>
 *   <tr><td>{@code jwt.session.revocations}</td><td>-</td><td>login families revoked by "log out
 *       everywhere"</td></tr>
 *   <tr><td>{@code jwt.session.revocation.failures}</td><td>-</td><td>login families a logout could
 *       not revoke (store unavailable, or a durable write not confirmed): still valid</td></tr>
 * </table>
 *
 * <p>All counters are registered at {@link #bindTo} (so dashboards see zeros, not gaps), at most
 * {@value #MAX_METERS} of them. Tags never carry user input: no subject, family id, cookie or path.
 * Events are rare (the valid-access-token path fires none), so recording is a counter increment per
 * event and nothing else. Thread-safe; may be bound to several registries.
 */
public final class JwtSessionMetrics implements MeterBinder, SessionListener {

  /** Untagged counters + reauth outcomes + token type x rejection reason. */
  public static final int MAX_METERS = 5 + 4 + 2 * 19;

  private static final TokenType[] TOKEN_TYPES = TokenType.values();
  private static final RejectionReason[] REASONS = RejectionReason.values();

  /** The counters of one registry. */
  private static final class Meters {
    final Counter logins;
    final Counter renewed;
    final Counter refused;
    final Counter failed;
    final Counter storeUnavailable;
    final Counter reuseDetections;
    final Counter logouts;
    final Counter revocations;
    final Counter revocationFailures;
    final Counter[][] rejections = new Counter[TOKEN_TYPES.length][REASONS.length];

    Meters(MeterRegistry registry) {
      logins = counter(registry, "jwt.session.logins", "Logins");
      renewed = reauth(registry, "renewed");
      refused = reauth(registry, "refused");
      failed = reauth(registry, "failed");
      storeUnavailable = reauth(registry, "store.unavailable");
      reuseDetections =
          counter(
              registry,
              "jwt.session.reuse.detections",
              "Rotated refresh tokens used again after the grace window (theft alarms)");
      logouts = counter(registry, "jwt.session.logouts", "Logouts");
      revocations =
          counter(
              registry, "jwt.session.revocations", "Login families revoked by log out everywhere");
      revocationFailures =
          counter(
              registry,
              "jwt.session.revocation.failures",
              "Login families a logout could not revoke (store unavailable): still valid");
      for (TokenType type : TOKEN_TYPES) {
        for (RejectionReason reason : REASONS) {
          rejections[type.ordinal()][reason.ordinal()] =
              Counter.builder("jwt.session.rejections")
                  .description("Tokens not accepted, by token type and reason")
                  .tag("token", type.name().toLowerCase(Locale.ROOT))
                  .tag("reason", tagValue(reason))
                  .register(registry);
        }
      }
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
      return Counter.builder(name).description(description).register(registry);
    }

    private static Counter reauth(MeterRegistry registry, String outcome) {
      return Counter.builder("jwt.session.reauthentications")
          .description("Renewals from a refresh token, by outcome")
          .tag("outcome", outcome)
          .register(registry);
    }
  }

  private final List<Meters> bound = new CopyOnWriteArrayList<>();

  /** Counters that count once {@link #bindTo} has been called. */
  public JwtSessionMetrics() {}

  /** {@code BAD_SIGNATURE} becomes {@code bad.signature}: Micrometer's naming convention. */
  static String tagValue(RejectionReason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** Registers every counter in {@code registry}; events before this are not counted there. */
  @Override
  public void bindTo(MeterRegistry registry) {
    bound.add(new Meters(registry));
  }

  @Override
  public void loggedIn(Claims access) {
    for (Meters m : bound) {
      m.logins.increment();
    }
  }

  @Override
  public void reauthenticated(Claims access) {
    for (Meters m : bound) {
      m.renewed.increment();
    }
  }

  @Override
  public void reauthRefused(Claims refresh) {
    for (Meters m : bound) {
      m.refused.increment();
    }
  }

  /**
   * Counts the rejection; a refresh token refused because the {@code Reauth} failed or the store
   * was down also counts as that reauthentication outcome.
   */
  @Override
  public void rejected(TokenType type, RejectionReason reason) {
    for (Meters m : bound) {
      m.rejections[type.ordinal()][reason.ordinal()].increment();
      if (type == TokenType.REFRESH) {
        if (reason == RejectionReason.REAUTH_FAILED) {
          m.failed.increment();
        } else if (reason == RejectionReason.STORE_UNAVAILABLE) {
          m.storeUnavailable.increment();
        }
      }
    }
  }

  @Override
  public void reuseDetected(String familyId) {
    for (Meters m : bound) {
      m.reuseDetections.increment();
    }
  }

  @Override
  public void loggedOut(String familyId) {
    for (Meters m : bound) {
      m.logouts.increment();
    }
  }

  @Override
  public void revoked(String subject, int families) {
    for (Meters m : bound) {
      m.revocations.increment(families);
    }
  }

  @Override
  public void revocationFailed(String familyId) {
    for (Meters m : bound) {
      m.revocationFailures.increment();
    }
  }

  @Override
  public String toString() {
    return "JwtSessionMetrics[registries=" + bound.size() + "]";
  }
}
