package dev.jwtsession.benchmarks;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Payloads;
import dev.jwtsession.Session;
import dev.jwtsession.SessionListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.internal.CookieHeader;
import dev.jwtsession.micrometer.JwtSessionMetrics;
import dev.jwtsession.spi.CookieSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What our engine costs per request: resolving a {@code Cookie} header into a {@link Session}
 * (cache hit and miss), login, re-authentication, and parsing the header alone. Compare with {@link
 * VerifyBaselinesBenchmark} in the same run.
 *
 * <p>Tokens are minted by the engine itself (its format: header type marker, {@code sid}, {@code
 * rot}) from {@link TokenFixture#engineAccessPayload()}, nine claims in all. Every method gets a
 * new {@code String} instance of the header per invocation, as a server hands it over; a cache hit
 * therefore still hashes and compares the token.
 *
 * <ul>
 *   <li>{@code resolveCacheHit}: a valid access cookie the verified-token cache holds;
 *   <li>{@code resolveCacheHitWithMetrics}: the same on an engine whose listener is {@code
 *       JwtSessionMetrics} bound to a {@code SimpleMeterRegistry}: what the Micrometer module adds
 *       to the common case (nothing is recorded there, so the target is "within 5 %");
 *   <li>{@code resolveCacheMiss}: the same on an engine with the cache off ({@code
 *       accessCacheSize(0)}), so every call verifies in full: what a token seen for the first time
 *       costs;
 *   <li>{@code login}: two tokens signed and two {@code Set-Cookie} strings;
 *   <li>{@code reauth}: expired access + valid refresh: the refresh verified, the callback, two new
 *       tokens and cookies. Without rotation the engine remembers no renewal, and concurrent
 *       requests alone share one, so every call renews in full;
 *   <li>{@code resolveGarbage}: load case d's header (token-shaped garbage in both cookies, with a
 *       foreign {@code typ: JWT} header): both rejected, two clearing {@code Set-Cookie} strings;
 *   <li>{@code cookieHeaderParse}: finding the two cookies in the header, nothing else.
 * </ul>
 *
 * <p>Run (with the baselines, about 5 minutes on 2 cores):
 *
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'EngineBenchmark|VerifyBaselinesBenchmark' -prof gc
 * }</pre>
 *
 * <p>Quick look while developing: append {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class EngineBenchmark {

  static final String ACCESS_COOKIE = "app_session";
  static final String REFRESH_COOKIE = "app_refresh";

  /** Login time of the minted tokens: the fixture's {@code iat}. */
  static final Instant LOGIN_TIME = TokenFixture.ISSUED_AT;

  /** Past the engine's 5-second renewal grace, so each reauth call renews again. */
  private static final long PAST_GRACE_MILLIS = 6_000;

  final MutableClock clock = new MutableClock(LOGIN_TIME);
  JwtSession engine;
  JwtSession engineWithoutCache;
  JwtSession engineWithMetrics;
  private char[] validHeader;
  private char[] expiredAccessHeader;
  private final char[] garbageHeader = LoadServer.garbageCookieHeader().toCharArray();
  private final DiscardingSink discard = new DiscardingSink();

  @Setup
  public void setUp() {
    engine = engine(clock, JwtSession.DEFAULT_ACCESS_CACHE_SIZE);
    engineWithoutCache = engine(clock, 0);
    JwtSessionMetrics metrics = new JwtSessionMetrics();
    metrics.bindTo(new SimpleMeterRegistry());
    engineWithMetrics = engine(clock, JwtSession.DEFAULT_ACCESS_CACHE_SIZE, metrics);
    CapturingSink minted = new CapturingSink();
    engine.resolve(null, minted).login(payloads());
    clock.set(LOGIN_TIME.plus(Duration.ofMinutes(5)));
    validHeader =
        (ACCESS_COOKIE
                + "="
                + CapturingSink.value(minted.access)
                + "; "
                + REFRESH_COOKIE
                + "="
                + CapturingSink.value(minted.refresh))
            .toCharArray();
    // The same pair; ReauthClock moves the clock an hour past login, when the 15-minute access
    // token has expired.
    expiredAccessHeader = validHeader.clone();
    requireAuthenticated(resolveCacheHit(), "valid access cookie");
    requireAuthenticated(resolveCacheMiss(), "valid access cookie without cache");
    requireAuthenticated(resolveCacheHitWithMetrics(), "valid access cookie with metrics");
  }

  /** The engine under test: 15-minute access, long-lived refresh, a reauth that always says yes. */
  static JwtSession engine(Clock clock, int accessCacheSize) {
    return builder(clock, accessCacheSize).build();
  }

  /** The same engine, heard by {@code listener} instead of the default {@code LoggingListener}. */
  static JwtSession engine(Clock clock, int accessCacheSize, SessionListener listener) {
    return builder(clock, accessCacheSize).listener(listener).build();
  }

  private static JwtSession.Builder builder(Clock clock, int accessCacheSize) {
    return JwtSession.builder()
        .access(
            t ->
                t.cookieName(ACCESS_COOKIE)
                    .maxAge(Duration.ofMinutes(15))
                    .secret(TokenFixture.SECRET))
        // Ten years, so the clock that reauth() moves 6 s per call never reaches the refresh
        // expiry.
        .refresh(
            t ->
                t.cookieName(REFRESH_COOKIE)
                    .maxAge(Duration.ofDays(3650))
                    .secret(TokenFixture.REFRESH_SECRET))
        .reauth(refresh -> Optional.of(payloads()))
        .clock(clock)
        .accessCacheSize(accessCacheSize);
  }

  static Payloads payloads() {
    return Payloads.of(TokenFixture.engineAccessPayload(), Map.of("sub", "u-7f3a9c21"));
  }

  @Benchmark
  public Session resolveCacheHit() {
    return engine.resolve(new String(validHeader), discard);
  }

  @Benchmark
  public Session resolveCacheHitWithMetrics() {
    return engineWithMetrics.resolve(new String(validHeader), discard);
  }

  @Benchmark
  public Session resolveCacheMiss() {
    return engineWithoutCache.resolve(new String(validHeader), discard);
  }

  @Benchmark
  public CapturingSink login() {
    CapturingSink sink = new CapturingSink();
    engine.resolve(null, sink).login(payloads());
    return sink;
  }

  @Benchmark
  public CapturingSink reauth(ReauthClock state) {
    clock.advance(Duration.ofMillis(PAST_GRACE_MILLIS));
    CapturingSink sink = new CapturingSink();
    engine.resolve(new String(expiredAccessHeader), sink);
    return sink;
  }

  @Benchmark
  public CapturingSink resolveGarbage() {
    CapturingSink sink = new CapturingSink();
    engine.resolve(new String(garbageHeader), sink);
    return sink;
  }

  @Benchmark
  public CookieHeader.Found cookieHeaderParse() {
    return CookieHeader.find(new String(validHeader), ACCESS_COOKIE, REFRESH_COOKIE);
  }

  /**
   * Moves the clock an hour past login before the reauth benchmarks: the access token has expired.
   */
  @State(Scope.Benchmark)
  public static class ReauthClock {
    @Setup
    public void setUp(EngineBenchmark bench) {
      bench.clock.set(LOGIN_TIME.plus(Duration.ofHours(1)));
      CapturingSink sink = new CapturingSink();
      requireAuthenticated(
          bench.engine.resolve(new String(bench.expiredAccessHeader), sink), "reauth");
      if (sink.access == null || sink.refresh == null) {
        throw new IllegalStateException("reauth did not renew both cookies");
      }
    }
  }

  private static void requireAuthenticated(Session session, String what) {
    if (!session.isAuthenticated()) {
      throw new IllegalStateException(
          "the benchmark setup is wrong: " + what + " was not accepted");
    }
  }

  /** Where a valid resolve writes nothing. */
  static final class DiscardingSink implements CookieSink {
    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public void add(String setCookieHeader) {}

    @Override
    public void replace(String cookieName, String setCookieHeader) {}

    @Override
    public void preventCaching() {}
  }

  /** Keeps the last {@code Set-Cookie} of each session cookie (so nothing is dead code). */
  public static final class CapturingSink implements CookieSink {
    String access;
    String refresh;

    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public void add(String setCookieHeader) {
      if (setCookieHeader.startsWith(ACCESS_COOKIE)) {
        access = setCookieHeader;
      } else {
        refresh = setCookieHeader;
      }
    }

    @Override
    public void replace(String cookieName, String setCookieHeader) {
      add(setCookieHeader);
    }

    @Override
    public void preventCaching() {}

    /**
     * The cookie value of a {@code Set-Cookie} header: between the first {@code =} and {@code ;}.
     */
    static String value(String setCookieHeader) {
      return setCookieHeader.substring(
          setCookieHeader.indexOf('=') + 1, setCookieHeader.indexOf(';'));
    }
  }
}
