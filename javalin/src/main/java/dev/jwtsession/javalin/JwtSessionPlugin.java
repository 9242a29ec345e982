package dev.jwtsession.javalin;

import dev.jwtsession.JwtSession;
import dev.jwtsession.Session;
import dev.jwtsession.servlet.JwtSessionFilter;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.ContextPlugin;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Installs jwt-session in a Javalin 7 application: {@code config.registerPlugin(new
 * JwtSessionPlugin(sessions))}. Handlers read the session with {@code
 * ctx.with(JwtSessionPlugin.class)}, {@link #session(Context)} or, in synchronous handlers, {@link
 * Session#current()}.
 *
 * <p>Behaviour is the servlet filter's, because it <em>is</em> the servlet filter: the plugin puts
 * {@link JwtSessionFilter} in front of Javalin's servlet through {@code
 * config.jetty.modifyServletContextHandler(..)}. So the cross-site form check answers {@code 403}
 * before any Javalin handler (before-handlers included) runs; renewed or cleared cookies are on the
 * response before the first handler; the cookies of {@code login}/{@code logout} are written at
 * once, and throw {@link IllegalStateException} after the response is committed.
 *
 * <p>Why a servlet filter rather than {@code before}/{@code after} handlers: the filter wraps the
 * whole Javalin request in one {@code try/finally} on the request's thread, so {@link
 * Session#current()} is unbound after every request, also when an endpoint throws, when an
 * exception mapper or error handler answers, and when {@code ctx.future(..)} finishes the request
 * on another thread (an {@code after} handler would then run on that other thread and could not
 * unbind the request thread). The session also lives in a request attribute, so {@code
 * ctx.with(JwtSessionPlugin.class)} works inside {@code ctx.future(..)} and {@code ctx.async(..)}
 * callbacks, where {@link Session#current()} is not bound.
 *
 * <p>WebSocket upgrade requests pass through the filter like any {@code GET}: the session is
 * resolved (readable in {@code wsBeforeUpgrade} handlers), nothing else happens. <b>Security:</b> a
 * browser sends cookies on cross-site WebSocket handshakes and the cross-site form check does not
 * apply to them, so checking the handshake's {@code Origin} is the application's job.
 *
 * <p>The plugin can be registered once per application: a second registration fails at startup with
 * Javalin's {@code JwtSessionPlugin is already registered}.
 */
public final class JwtSessionPlugin extends ContextPlugin<JwtSessionPlugin.Config, Session> {

  /** The plugin's settings, filled in by the {@code Consumer} given to the constructor. */
  public static final class Config {
    /** The engine; required. */
    public JwtSession engine;
  }

  /**
   * A plugin configured by {@code config}, e.g. {@code cfg -> cfg.engine = sessions}.
   *
   * @throws NullPointerException if the configuration leaves {@code engine} unset
   */
  public JwtSessionPlugin(Consumer<Config> config) {
    super(config, new Config());
    Objects.requireNonNull(pluginConfig.engine, "engine: set it with cfg -> cfg.engine = sessions");
  }

  /** A plugin for this engine. */
  public JwtSessionPlugin(JwtSession engine) {
    this(cfg -> cfg.engine = Objects.requireNonNull(engine, "engine"));
  }

  @Override
  public void onInitialize(JavalinState state) {
    JwtSessionFilter filter = new JwtSessionFilter(pluginConfig.engine);
    state.jetty.modifyServletContextHandler(
        handler ->
            handler.addFilter(
                new FilterHolder(filter),
                "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR)));
  }

  /** What {@code ctx.with(JwtSessionPlugin.class)} returns: the request's session. */
  @Override
  public Session createExtension(Context ctx) {
    return session(ctx);
  }

  /**
   * The session of a request to an application with this plugin registered.
   *
   * @throws IllegalStateException if the plugin is not registered in front of this request
   */
  public static Session session(Context ctx) {
    if (ctx.req().getAttribute(JwtSessionFilter.ATTRIBUTE) instanceof Session session) {
      return session;
    }
    throw new IllegalStateException(
        "No jwt-session Session on this request: register the plugin, "
            + "Javalin.create(config -> config.registerPlugin(new JwtSessionPlugin(engine)))");
  }
}
