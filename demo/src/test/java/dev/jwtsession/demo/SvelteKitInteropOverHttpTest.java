package dev.jwtsession.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, both directions with the real library the SvelteKit hook {@code svelte-kit-jwt-session}
 * signs and verifies with: node's {@code jsonwebtoken} (pinned in {@code
 * src/test/resources/jsonwebtoken-interop/package-lock.json}, installed with {@code npm ci} into
 * {@code target/}), against the demo started with {@code JWT_SESSION_SEED_INTEROP=true} over real
 * HTTP. The cookie names are the ones of the hook's README.
 */
class SvelteKitInteropOverHttpTest {

  static final String ACCESS_SECRET = "sveltekit-access-secret-of-32-bytes-or-more";
  static final String REFRESH_SECRET = "sveltekit-refresh-secret-of-32-bytes-or-more";
  static final String ACCESS_COOKIE = "allins_session";
  static final String REFRESH_COOKIE = "allins_session_reserved";

  static Path project;
  static RunningDemo demo;

  @BeforeAll
  static void installJsonwebtokenAndStartTheDemo() throws Exception {
    project = Path.of("target", "jsonwebtoken-interop").toAbsolutePath();
    Files.createDirectories(project);
    Path resources = Path.of("src", "test", "resources", "jsonwebtoken-interop");
    for (String file : List.of("package.json", "package-lock.json", "hook.js")) {
      Files.copy(
          resources.resolve(file),
          project.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(project.resolve("node_modules/jsonwebtoken"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
    }
    demo = DemoApp.start(DemoConfig.fromEnv(env(true)));
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  static Map<String, String> env(boolean interop) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put(DemoConfig.ACCESS_SECRET, ACCESS_SECRET);
    env.put(DemoConfig.REFRESH_SECRET, REFRESH_SECRET);
    env.put(DemoConfig.ACCESS_COOKIE, ACCESS_COOKIE);
    env.put(DemoConfig.REFRESH_COOKIE, REFRESH_COOKIE);
    if (interop) {
      env.put(DemoConfig.SEED_INTEROP, "true");
    }
    return env;
  }

  /** Runs a command in the npm project; its stdout. */
  static String run(List<String> command, Map<String, String> environment, int timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
    builder.environment().putAll(environment);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        .as("%s finished", command)
        .isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s: %s", command, text).isIn(0, 2);
    return text;
  }

  /** {@code jwt.sign(payload, secret)}, as the hook's {@code login()} and reauth do. */
  static String hookSign(String payloadJson, String secret) throws Exception {
    return run(List.of("node", "hook.js", "sign", payloadJson), Map.of("SECRET", secret), 60);
  }

  /** {@code jwt.verify(token, secret)}, as the hook's handle does: the payload, or REFUSED. */
  static String hookVerify(String token, String secret) throws Exception {
    return run(List.of("node", "hook.js", "verify", token), Map.of("SECRET", secret), 60);
  }

  static Map<String, Object> json(String text) throws Exception {
    return JSONObjectUtils.parse(text);
  }

  @Test
  void hookMintedAccessCookieAuthenticates() throws Exception {
    String token = hookSign("{\"sub\":\"alice\",\"role\":\"admin\"}", ACCESS_SECRET);
    assertThat(token)
        .startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."); // {"alg":"HS256","typ":"JWT"}
    Browser browser = new Browser(demo.uri());
    browser.cookies().put(ACCESS_COOKIE, token);

    Browser.Exchange me = browser.get("/api/me");

    assertThat(me.status()).isEqualTo(200);
    Map<String, Object> claims = JSONObjectUtils.getJSONObject(json(me.body()), "claims");
    assertThat(claims).containsEntry("sub", "alice").containsEntry("role", "admin");
    assertThat(json(me.body())).containsEntry("reauthenticated", false);
  }

  @Test
  void hookMintedRefreshCookieAloneRenewsInTheSameRequest() throws Exception {
    String refresh = hookSign("{\"sub\":\"alice\"}", REFRESH_SECRET);
    Browser browser = new Browser(demo.uri());
    browser.cookies().put(REFRESH_COOKIE, refresh);

    Browser.Exchange me = browser.get("/api/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(json(me.body())).containsEntry("reauthenticated", true);
    assertThat(browser.cookies()).containsKeys(ACCESS_COOKIE, REFRESH_COOKIE);
    assertThat(browser.cookies().get(REFRESH_COOKIE)).isNotEqualTo(refresh);
    // ... and the renewed session keeps working on the next request, from the new access cookie.
    Browser.Exchange again = browser.get("/api/me");
    assertThat(again.status()).isEqualTo(200);
    assertThat(json(again.body())).containsEntry("reauthenticated", false);
  }

  @Test
  void hookMintedAccessTokenInTheRefreshSlotIsRefused() throws Exception {
    String access = hookSign("{\"sub\":\"alice\"}", ACCESS_SECRET);
    Browser browser = new Browser(demo.uri());
    browser.cookies().put(REFRESH_COOKIE, access);

    Browser.Exchange me = browser.get("/api/me");

    assertThat(me.status()).isEqualTo(401);
    assertThat(browser.cookies()).doesNotContainKey(REFRESH_COOKIE); // cleared
  }

  @Test
  void tokensOurSideIssuesVerifyWithJsonwebtokenAndCarryTheApplicationsPayload() throws Exception {
    Browser browser = new Browser(demo.uri());
    assertThat(browser.login("alice", "alice-password").status()).isEqualTo(303);
    String access = browser.cookies().get(ACCESS_COOKIE);
    String refresh = browser.cookies().get(REFRESH_COOKIE);

    Map<String, Object> accessPayload = json(hookVerify(access, ACCESS_SECRET));
    Map<String, Object> refreshPayload = json(hookVerify(refresh, REFRESH_SECRET));

    assertThat(accessPayload)
        .containsEntry("sub", "alice")
        .containsEntry("name", "Alice")
        .containsEntry("role", "admin");
    assertThat(refreshPayload).containsEntry("sub", "alice");
    assertThat(hookVerify(access, REFRESH_SECRET)).startsWith("REFUSED JsonWebTokenError");
  }

  @Test
  void withTheModeOffHookMintedCookiesAreRefusedAsToday() throws Exception {
    String access = hookSign("{\"sub\":\"alice\"}", ACCESS_SECRET);
    String refresh = hookSign("{\"sub\":\"alice\"}", REFRESH_SECRET);
    try (RunningDemo strict = DemoApp.start(DemoConfig.fromEnv(env(false)))) {
      Browser browser = new Browser(strict.uri());
      browser.cookies().put(ACCESS_COOKIE, access);
      browser.cookies().put(REFRESH_COOKIE, refresh);

      Browser.Exchange me = browser.get("/api/me");

      assertThat(me.status()).isEqualTo(401);
      assertThat(browser.cookies()).isEmpty(); // both cleared
    }
  }

  @Test
  void seedInteropWithoutTheTwoSecretsFailsTheStartNamingTheVariables() {
    Map<String, String> env = env(true);
    env.remove(DemoConfig.REFRESH_SECRET);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoConfig.fromEnv(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "JWT_SESSION_SEED_INTEROP: needs JWT_SESSION_ACCESS_SECRET and "
                + "JWT_SESSION_REFRESH_SECRET");
  }

  @Test
  void seedInteropWithOneSecretForBothTokenTypesFailsTheStartSayingWhy() {
    Map<String, String> env = env(true);
    env.put(DemoConfig.REFRESH_SECRET, ACCESS_SECRET);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoApp.start(DemoConfig.fromEnv(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("svelteKitInterop: access and refresh use the same secret")
        .hasMessageContaining("svelteKitInterop <- JWT_SESSION_SEED_INTEROP");
  }
}
