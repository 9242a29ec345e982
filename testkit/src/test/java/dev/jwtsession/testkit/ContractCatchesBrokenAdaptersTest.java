package dev.jwtsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jwtsession.JwtSession;
import dev.jwtsession.testkit.JdkHttpServerApp.Flaw;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The contract catches broken adapters: {@link AdapterContract} runs (through the JUnit Platform
 * {@link EngineTestKit}) against {@link JdkHttpServerApp} with one deliberate {@link Flaw} each,
 * and the scenario guarding against that mistake fails.
 */
class ContractCatchesBrokenAdaptersTest {

  /**
   * Runs the whole contract against {@code adapter}: failed test method name to failure message.
   */
  private static Map<String, String> failures(Class<? extends AdapterContract> adapter) {
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(adapter))
            .execute()
            .testEvents();
    assertThat(tests.started().count()).as("contract tests run").isGreaterThanOrEqualTo(14);
    List<Event> failed = tests.failed().list();
    return failed.stream()
        .collect(
            Collectors.toMap(
                e ->
                    ((MethodSource) e.getTestDescriptor().getSource().orElseThrow())
                        .getMethodName(),
                e ->
                    e.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable)
                        .map(ContractCatchesBrokenAdaptersTest::messages)
                        .orElse("")));
  }

  /** The failure's message and those of the failures suppressed into it (the invariant check's). */
  private static String messages(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable suppressed : failure.getSuppressed()) {
      text.append('\n').append(suppressed.getMessage());
    }
    return text.toString();
  }

  @Test
  void anAdapterThatNeverWritesRenewedCookiesFailsTheRenewalScenario() {
    assertThat(failures(DropsRenewedCookies.class))
        .containsKeys(
            "anExpiredAccessCookieWithAValidRefreshCookieIsRenewedInTheSameRequest",
            "aTamperedAccessCookieIsAnsweredAnonymousAndCleared");
  }

  @Test
  void anAdapterThatSkipsTheCsrfCheckFailsTheCrossSiteFormScenario() {
    assertThat(failures(SkipsCsrfCheck.class))
        .containsKeys(
            "aCrossSiteFormPostIsForbiddenBeforeTheApplicationAndTouchesNoCookie",
            "aFormPostWithOriginNullIsForbidden");
  }

  @Test
  void anAdapterThatDoesNotUnbindSessionCurrentFailsTheLeakScenario() {
    assertThat(failures(LeaksCurrentSession.class))
        .containsKey("sessionCurrentNeverLeaksFromOneRequestToAnother");
  }

  @Test
  void anAdapterMissingARouteFailsWithAMessageNamingTheRoute() {
    assertThat(failures(MissesCurrentRoute.class))
        .hasEntrySatisfying(
            "sessionCurrentNeverLeaksFromOneRequestToAnother",
            message -> assertThat(message).contains("contract route GET /current"));
  }

  @Test
  void anAdapterThatWritesTwoSetCookieForOneNameFailsTheInvariantCheck() {
    assertThat(failures(ReplaceAdds.class))
        .hasEntrySatisfying(
            "theApplicationsOwnCookieIsKeptAndEachSessionCookieIsSetOnceWhenLoginAndLogoutShareARequest",
            message ->
                assertThat(message)
                    .as("the test's own check and the invariant check both report it")
                    .contains(
                        "to contain exactly in any order", "a response carries two Set-Cookie"));
  }

  @Test
  void anAdapterThatReadsOnlyTheFirstCookieHeaderFailsTheSplitHeaderScenario() {
    assertThat(failures(FirstCookieHeaderOnly.class))
        .containsKey("cookiesSplitOverTwoCookieHeadersAreReadAsOneHeader");
  }

  @Test
  void anAdapterThatDropsACookieAttributeFailsTheInvariantCheckAfterScenariosThatDoNotLookForIt() {
    assertThat(failures(DropsHttpOnly.class))
        .hasEntrySatisfying(
            "logoutClearsBothCookiesWithThePathTheyWereSetWith",
            message -> assertThat(message).contains("HttpOnly of app_session=; Max-Age=0"));
  }

  @Test
  void anAdapterThatIgnoresPreventCachingFailsTheNoStoreScenario() {
    assertThat(failures(IgnoresNoStore.class))
        .containsKey("everyResponseThatSetsASessionCookieIsNoStore");
  }

  // The broken adapters: nested, so that the build's own test run does not pick them up.

  static class DropsRenewedCookies extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.DROPS_RENEWED_COOKIES);
    }
  }

  static class SkipsCsrfCheck extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.SKIPS_CSRF_CHECK);
    }
  }

  static class LeaksCurrentSession extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.LEAKS_CURRENT_SESSION);
    }
  }

  static class MissesCurrentRoute extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.MISSES_CURRENT_ROUTE);
    }
  }

  static class ReplaceAdds extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.REPLACE_ADDS);
    }
  }

  static class FirstCookieHeaderOnly extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.FIRST_COOKIE_HEADER_ONLY);
    }
  }

  static class DropsHttpOnly extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.DROPS_HTTP_ONLY);
    }
  }

  static class IgnoresNoStore extends AdapterContract {
    @Override
    protected ServerUnderTest start(JwtSession engine) throws Exception {
      return JdkHttpServerApp.start(engine, Flaw.IGNORES_NO_STORE);
    }
  }
}
