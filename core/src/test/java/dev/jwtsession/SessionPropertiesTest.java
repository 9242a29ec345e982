package dev.jwtsession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.jwtsession.fixtures.CapturingListener;
import dev.jwtsession.fixtures.MutableClock;
import dev.jwtsession.fixtures.RecordingCookieSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@code Cookie header → session} (jqwik, run by surefire next to JUnit Jupiter): for
 * any input the only outcomes are "anonymous, nothing thrown" or the session a genuine token
 * carries.
 */
class SessionPropertiesTest {

  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  static final Set<String> RESERVED =
      Set.of("iat", "exp", "nbf", "jti", "sid", "rot", "aex", "sub", "iss", "aud");

  final MutableClock clock = MutableClock.atFixedStart();
  final CapturingListener listener = new CapturingListener();
  final JwtSession engine =
      JwtSession.builder()
          .access(
              t ->
                  t.cookieName("app_session")
                      .maxAge(Duration.ofSeconds(60))
                      .secret("test-access-secret-that-is-32-bytes-long!"))
          .refresh(
              t ->
                  t.cookieName("app_refresh")
                      .maxAge(Duration.ofDays(7))
                      .secret("test-refresh-secret-that-is-32-bytes-long"))
          .reauth(refresh -> Optional.of(Payloads.of(refresh.userClaims(), refresh.userClaims())))
          .clock(clock)
          .listener(listener)
          .build();
  final Map<String, String> jar = login();

  Map<String, String> login() {
    RecordingCookieSink sink = new RecordingCookieSink();
    engine.resolve(null, sink).login(Payloads.of(Map.of("sub", "j@doe"), Map.of("sub", "j@doe")));
    return sink.applyTo(Map.of());
  }

  Session resolve(String cookieHeader) {
    AtomicReference<Session> session = new AtomicReference<>();
    assertThatCode(() -> session.set(engine.resolve(cookieHeader, new RecordingCookieSink())))
        .doesNotThrowAnyException();
    return session.get();
  }

  // ---- nothing a client sends throws or authenticates

  @Property
  void arbitraryCookieHeaderNeverThrowsAndNeverAuthenticates(@ForAll String header) {
    assertThat(resolve(header).isAuthenticated()).isFalse();
  }

  @Property
  void cookieShapedHeaderNeverThrowsAndNeverAuthenticates(@ForAll("cookieHeaders") String header) {
    assertThat(resolve(header).isAuthenticated()).isFalse();
  }

  @Property
  void arbitraryAccessTokenNeverThrowsAndNeverAuthenticates(@ForAll("tokenLike") String token) {
    assertThat(resolve("app_session=" + token).isAuthenticated()).isFalse();
  }

  @Property
  void arbitraryRefreshTokenNeverThrowsAndNeverAuthenticates(@ForAll("tokenLike") String token) {
    assertThat(resolve("app_refresh=" + token).isAuthenticated()).isFalse();
  }

  @Property
  void anyOneCharacterChangeToAGenuineTokenNeverAuthenticates(
      @ForAll @IntRange(min = 0, max = 4095) int position,
      @ForAll @IntRange(min = 1, max = 63) int shift) {
    for (String name : List.of("app_session", "app_refresh")) {
      String token = jar.get(name);
      int at = position % token.length();
      char original = token.charAt(at);
      char changed =
          original == '.'
              ? '_'
              : ALPHABET.charAt((ALPHABET.indexOf(original) + shift) % ALPHABET.length());
      String tampered = token.substring(0, at) + changed + token.substring(at + 1);

      assertThat(resolve(name + "=" + tampered).isAuthenticated())
          .as("%s at %d", name, at)
          .isFalse();
    }
  }

  // ---- every token the engine signs verifies

  @Property
  void everyTokenTheEngineSignsVerifiesAndRoundTripsItsClaims(
      @ForAll("payloads") Map<String, Object> payload) {
    RecordingCookieSink sink = new RecordingCookieSink();
    Session loggedIn = engine.resolve(null, sink);
    loggedIn.login(Payloads.of(payload, payload));

    Session access = resolve(RecordingCookieSink.cookieHeader(sink.applyTo(Map.of())));
    assertThat(access.isAuthenticated()).isTrue();
    assertThat(access.reauthenticated()).isFalse();
    assertThat(access.claims().userClaims()).isEqualTo(payload);
    assertThat(loggedIn.claims()).isEqualTo(access.claims());

    Session renewed = resolve("app_refresh=" + sink.value("app_refresh").orElseThrow());
    assertThat(renewed.reauthenticated()).isTrue();
    assertThat(renewed.claims().userClaims()).isEqualTo(payload);
  }

  // ---- generators

  @Provide
  Arbitrary<String> tokenLike() {
    Arbitrary<String> part = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(60);
    Arbitrary<String> threeParts =
        Combinators.combine(part, part, part).as((a, b, c) -> a + "." + b + "." + c);
    Arbitrary<String> noisy =
        Arbitraries.strings().withChars(ALPHABET + ".=\"; \t\u0000é").ofMaxLength(200);
    Arbitrary<String> headerJson =
        Arbitraries.of(
                "{\"alg\":\"none\"}",
                "{\"alg\":\"HS256\"}",
                "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
                "{\"alg\":\"HS256\",\"typ\":\"rt+jwt\"}",
                "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"../x\"}",
                "{}",
                "[]",
                "null",
                "{\"alg\":1}")
            .map(SessionPropertiesTest::b64);
    Arbitrary<String> payloadJson =
        Arbitraries.of(
                "{\"exp\":99999999999}",
                "{\"exp\":\"1\"}",
                "{}",
                "{\"sub\":\"admin\",\"exp\":1767225660}",
                "[[[[[[[[1]]]]]]]]",
                "{\"a\":1,\"a\":2}")
            .map(SessionPropertiesTest::b64);
    Arbitrary<String> jsonParts =
        Combinators.combine(headerJson, payloadJson, part).as((h, p, s) -> h + "." + p + "." + s);
    return Arbitraries.oneOf(threeParts, noisy, jsonParts);
  }

  @Provide
  Arbitrary<String> cookieHeaders() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.of(
                "app_session",
                "app_refresh",
                "APP_SESSION",
                "other",
                "=",
                ";",
                "; ",
                " ",
                "\t",
                "\"",
                ".",
                ";;",
                "=="),
            tokenLike(),
            Arbitraries.strings().ofMaxLength(8));
    return piece.list().ofMaxSize(20).map(pieces -> String.join("", pieces));
  }

  @Provide
  Arbitrary<Map<String, Object>> payloads() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange(' ', '\uD7FF')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(name -> !RESERVED.contains(name));
    Arbitrary<String> text =
        Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40);
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            text.map(Object.class::cast),
            Arbitraries.longs().map(Object.class::cast),
            Arbitraries.doubles().between(-1e12, 1e12).map(Object.class::cast),
            Arbitraries.of(true, false).map(Object.class::cast),
            text.list().ofMaxSize(4).map(Object.class::cast));
    return Arbitraries.maps(names, values).ofMaxSize(8);
  }

  static String b64(String json) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
