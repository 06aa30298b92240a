package dev.sluice.billing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Delivers a budget alert. The implementation owns the HTTP client and the outbound guard: a URL
 * from the config file is sent as written; any other (a team's webhook set through the admin API)
 * must pass the guard when it is sent. Thread-safe; never blocks.
 */
@FunctionalInterface
public interface AlertSender {

  /**
   * POSTs {@code alert} as JSON to {@code url}; {@code fromConfig} says the URL was written in the
   * config file. Completes when the webhook answered 2xx; fails when the guard refused the URL, the
   * call failed, or the answer was anything else (a redirect included: redirects are not followed).
   */
  Future<Void> send(String url, boolean fromConfig, JsonObject alert);
}
