package dev.sluice.extension;

import io.vertx.ext.web.Router;

/**
 * Routes mounted next to the inference API, never on its path (the admin API). The CLI passes them
 * in; the server never imports the admin package. Called once per HTTP front, on its event loop.
 */
@FunctionalInterface
public interface AdminMount {
  void mount(Router router, GatewayView view);
}
