package dev.jwtsession.javalin;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.testkit.AdapterContract;
import dev.jwtsession.testkit.ContractRoutes;
import dev.jwtsession.testkit.ServerUnderTest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The Javalin plugin passes the adapter contract: Javalin 7 on {@code 127.0.0.1:0} serving the
 * contract routes, each reading the session the way Javalin handlers do ({@code ctx.with(..)}).
 */
class JavalinContractTest extends AdapterContract {

  @Override
  protected ServerUnderTest start(JwtSession engine) {
    ContractRoutes routes = ContractRoutes.of(engine);
    Javalin app =
        Javalin.create(
                config -> {
                  config.registerPlugin(new JwtSessionPlugin(engine));
                  config.routes.get(ContractRoutes.ME, ctx -> answer(ctx, routes.me(session(ctx))));
                  config.routes.post(
                      ContractRoutes.LOGIN,
                      ctx -> answer(ctx, routes.login(session(ctx), ctx.queryParam("sub"))));
                  config.routes.post(
                      ContractRoutes.LOGOUT, ctx -> answer(ctx, routes.logout(session(ctx))));
                  config.routes.post(
                      ContractRoutes.LOGOUT_ALL,
                      ctx -> answer(ctx, routes.logoutAll(session(ctx))));
                  config.routes.get(
                      ContractRoutes.LATE_LOGIN,
                      ctx -> {
                        ctx.contentType(ContractRoutes.CONTENT_TYPE);
                        write(ctx, ContractRoutes.LATE_LOGIN_BODY); // buffered, not committed
                        routes.lateLogin(session(ctx));
                      });
                  config.routes.get(
                      ContractRoutes.COMMITTED_LOGIN,
                      ctx -> {
                        ctx.contentType(ContractRoutes.CONTENT_TYPE);
                        write(ctx, ContractRoutes.COMMITTED_BODY);
                        ctx.res().flushBuffer();
                        write(ctx, routes.committedLogin(session(ctx)));
                      });
                  config.routes.post(
                      ContractRoutes.OWN_COOKIE_THEN_LOGOUT,
                      ctx -> {
                        ctx.res().addHeader("Set-Cookie", ContractRoutes.OWN_COOKIE);
                        answer(ctx, routes.ownCookieThenLogout(session(ctx)));
                      });
                  config.routes.get(ContractRoutes.CURRENT, ctx -> answer(ctx, routes.current()));
                  config.routes.post(ContractRoutes.FORM, ctx -> answer(ctx, routes.form()));
                  config.routes.post(
                      ContractRoutes.TOKENS,
                      ctx -> {
                        ctx.header("Cache-Control", "no-store");
                        ctx.contentType("application/json");
                        ctx.result(
                            ContractRoutes.tokenJson(routes.tokens(engine, ctx.queryParam("sub"))));
                      });
                })
            .start("127.0.0.1", 0);
    return ServerUnderTest.of(URI.create("http://127.0.0.1:" + app.port()), app::stop);
  }

  private static Session session(Context ctx) {
    return ctx.with(JwtSessionPlugin.class);
  }

  private static void answer(Context ctx, ContractRoutes.Reply reply) {
    ctx.status(reply.status());
    if (reply.status() != 204) {
      ctx.contentType(ContractRoutes.CONTENT_TYPE).result(reply.body());
    }
  }

  /** Writes straight to the servlet response, as a streaming handler does. */
  private static void write(Context ctx, String text) throws IOException {
    OutputStream out = ctx.res().getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
