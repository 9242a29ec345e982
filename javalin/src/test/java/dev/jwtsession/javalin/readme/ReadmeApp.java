package dev.jwtsession.javalin.readme;

// tag::javalin-imports[]
import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.javalin.JwtSessionPlugin;
import io.javalin.Javalin;

// end::javalin-imports[]

/**
 * The README's Javalin section, run by {@link ReadmeSnippetsTest}, which also checks that every
 * tagged region appears in README.md verbatim.
 */
// spotless:off (laid out for the README, which shows these regions verbatim)
final class ReadmeApp {

  private ReadmeApp() {}

  static Javalin start(JwtSession sessions, String host, int port) {
    // tag::javalin-setup[]
    Javalin app = Javalin.create(config -> {
      config.registerPlugin(new JwtSessionPlugin(sessions));
      config.routes.get("/", ctx -> ctx.result("Hello " + ctx.with(JwtSessionPlugin.class).subject().orElse("stranger")));
      config.routes.post("/logout", ctx -> Session.current().logout());
    }).start(host, port);
    // end::javalin-setup[]
    return app;
  }
}
// spotless:on
