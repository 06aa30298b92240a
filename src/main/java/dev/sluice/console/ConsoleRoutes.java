package dev.sluice.console;

import dev.sluice.extension.AdminMount;
import dev.sluice.extension.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Mounts the console: {@code /ui} (the page shell), {@code /ui/assets/*} (its ES modules and CSS,
 * from {@code dev/sluice/console/ui} on the class path) and {@code /ui/vendor/uplot/*} (uPlot's
 * WebJar). Nothing is fetched from outside the jar, so the console works offline.
 */
public final class ConsoleRoutes implements AdminMount {
  static final String WEBROOT = "dev/sluice/console/ui";
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

  @Override
  public void mount(Router router, GatewayView view) {
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

  private static void shell(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").putHeader("cache-control", "no-store")
        .sendFile(WEBROOT + "/index.html");
  }
}
