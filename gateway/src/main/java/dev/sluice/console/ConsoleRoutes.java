package dev.sluice.console;

import dev.sluice.extension.AdminMount;
import dev.sluice.extension.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Mounts the console: {@code /ui} (the page shell), {@code /ui/assets/*} (its ES modules and CSS,
 * from {@code dev/sluice/console/ui} on the class path) and {@code /ui/vendor/uplot/*} (uPlot's
 * WebJar). Nothing is fetched from outside the jar, so the console works offline.
 *
 * <p>Also the sign-in ({@link SignInRoutes}: {@code /ui/login}, {@code /ui/logout}, {@code /ui/session})
 * and the session's reach: on {@code /admin/*} and {@code /v1/sluice/*} a valid session cookie is put
 * on the request ({@link ConsoleSessions#attach}) before anything else runs there, for the admin guard
 * and the tenant routes to accept. Every {@code /ui} answer carries the security headers
 * ({@link #SECURITY_HEADERS}).
 *
 * <p>Sessions are signed with a secret derived from the master key (so replicas sharing the config
 * accept each other's), or, without a master key, with a random one drawn per process. One instance
 * is mounted on every front (event loop); its sessions are shared between them.
 */
public final class ConsoleRoutes implements AdminMount {
  static final String WEBROOT = "dev/sluice/console/ui";
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";
  /** Sent on every /ui answer: nothing but the gateway's own scripts, styles and images, never framed. */
  static final String[][] SECURITY_HEADERS = {
      {"content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"},
      {"x-content-type-options", "nosniff"},
      {"referrer-policy", "same-origin"}};

  private final Clock clock;
  private final RandomGenerator random;
  private final byte[] processSecret = new byte[32];
  private ConsoleSessions sessions;

  public ConsoleRoutes() {
    this(Clock.systemUTC(), new SecureRandom());
  }

  /** With the clock sessions expire by and the random source of session ids (and the fallback secret). */
  public ConsoleRoutes(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
    random.nextBytes(processSecret);
  }

  @Override
  public void mount(Router router, GatewayView view) {
    ConsoleSessions sessions = sessions(view);
    router.route("/ui*").handler(ConsoleRoutes::securityHeaders);
    // Before the routes the gateway mounted earlier (/v1/sluice/*) and the admin guard.
    router.route("/admin/*").order(-1).handler(sessions::attach);
    router.route("/v1/sluice/*").order(-1).handler(sessions::attach);
    new SignInRoutes(view, sessions).mount(router);
    // Vert.x matches "/ui" and "/ui/" with one route; relative asset paths need the slash.
    router.get("/ui").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        shell(ctx);
      } else {
        ctx.redirect("/ui/");
      }
    });
    router.get("/ui/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false));
    router.get("/ui/vendor/uplot/*").handler(StaticHandler.create(UPLOT).setDirectoryListing(false));
  }

  /** One set of sessions for every front this is mounted on (they share the signed-out list). */
  private synchronized ConsoleSessions sessions(GatewayView view) {
    if (sessions == null) {
      byte[] derived = view.derivedSecret("console-session");
      sessions = new ConsoleSessions(new SessionTokens(derived != null ? derived : processSecret), clock,
          view.consoleSessionTtl(), random);
    }
    return sessions;
  }

  private static void securityHeaders(RoutingContext ctx) {
    for (String[] h : SECURITY_HEADERS) {
      ctx.response().putHeader(h[0], h[1]);
    }
    ctx.next();
  }

  private static void shell(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").putHeader("cache-control", "no-store")
        .sendFile(WEBROOT + "/index.html");
  }
}
