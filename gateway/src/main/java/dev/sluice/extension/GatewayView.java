package dev.sluice.extension;

import java.util.Map;

/**
 * What the admin API may see of a running gateway. Read-only views and checks; thread-safe.
 * Implemented by the gateway; admin routes receive it when they are mounted.
 */
public interface GatewayView {

  /** Circuit breaker state per target ({@code provider/model} → CLOSED | OPEN | HALF_OPEN). */
  Map<String, String> breakerStates();

  /**
   * Every provider target the gateway knows (configured ones, called or not, and any other that was
   * called), with breaker, concurrency, cool-down, reported headroom and activity since the start.
   */
  ProviderStatus.Report providers();

  /** Whether {@code presented} is the configured master key (constant time); false when none is set. */
  boolean isMasterKey(String presented);

  /** Whether a master key is configured at all (the admin API is off without one). */
  boolean hasMasterKey();

  /**
   * Why the gateway would refuse to send to {@code url}, a URL that does not come from the config
   * file (a team's alert webhook set through the admin API), judged by its text alone: not https
   * (http only to a host of {@code outbound.trusted_hosts}), user info, a malformed or non-canonical
   * host, a literal address that is not public. Null when it may be stored: a host name is resolved
   * and checked again each time the URL is used, since what it resolves to can change.
   */
  String outboundRefusal(String url);

  /**
   * The config the gateway runs with, every secret redacted, and the result of
   * {@code sluice config check} on it: {@code {"object": "sluice.config", "config": {...},
   * "check": {"valid", "summary", "problems", "warnings"}}}. Built once; callers must not change it.
   */
  com.fasterxml.jackson.databind.node.ObjectNode configReport();

  /** A model entry's configured targets, in config order (the first is its primary); empty for no such entry. */
  java.util.List<dev.sluice.core.Target> modelTargets(String model);

  /**
   * What {@code usage} costs on {@code target} at the gateway's prices (the bundled catalog with the
   * config's {@code price:} overrides), in micro-USD; empty when no price is known.
   */
  java.util.OptionalLong costMicros(dev.sluice.core.Target target, dev.sluice.core.TokenUsage usage);

  /** Keys, teams, the ledger and the request log. */
  dev.sluice.store.Store store();

  /**
   * A stored key changed (created, updated or revoked; {@code keyHash} is its SHA-256 in hex): the
   * auth cache of this replica forgets it before this returns, and with Redis configured every
   * other replica's does too, moments later. The future completes when the message to the other
   * replicas is out (at once without Redis); it never fails.
   */
  io.vertx.core.Future<Void> keyChanged(String keyHash);

  /**
   * The name of the client key {@code presented} when it may be used now (known, not revoked, not
   * expired), through the auth cache; null when it may not. Fails when the key store could not be
   * asked. The console's sign-in calls it. The default refuses every key.
   */
  default io.vertx.core.Future<String> clientKeyName(String presented) {
    return io.vertx.core.Future.succeededFuture(null);
  }

  /**
   * As {@link #clientKeyName}, for the key whose SHA-256 in hex is {@code keyHash} (a console
   * session knows its key only by that). The default refuses every key.
   */
  default io.vertx.core.Future<String> clientKeyNameByHash(String keyHash) {
    return io.vertx.core.Future.succeededFuture(null);
  }

  /**
   * A 32-byte secret for {@code purpose} derived from the master key (HMAC-SHA256 of the purpose
   * under the master key), the same on every replica sharing the config; null without a master key.
   * The console signs its session cookies with one, so replicas accept each other's sessions.
   */
  default byte[] derivedSecret(String purpose) {
    return null;
  }

  /** How long a web console session lasts ({@code console.session_ttl}, 12 hours by default). */
  default java.time.Duration consoleSessionTtl() {
    return java.time.Duration.ofHours(12);
  }

  /**
   * Reloads the config file the gateway was started from ({@code POST /admin/config/reload}): the new
   * file is validated as at start, then applied, or refused with every problem and nothing changed.
   * {@code actor} names who asked (the audit log's actor). The default refuses: no file to reload.
   */
  default io.vertx.core.Future<ConfigReload> reloadConfig(String actor) {
    return io.vertx.core.Future.succeededFuture(ConfigReload.refused("(none)", java.util.List.of(
        new ConfigReload.Problem("", "this gateway was not started from a config file: nothing to reload"))));
  }

  /** Every configured canary, in config order; empty when none. */
  default java.util.List<CanaryStatus> canaries() {
    return java.util.List.of();
  }

  /**
   * An operator's action on {@code model}'s canary: {@code restart | pause | resume | rollback}.
   * Fails with {@link IllegalArgumentException} for no such canary or action, and with
   * {@link IllegalStateException} when the action does not apply now (resume after a rollback).
   */
  default io.vertx.core.Future<CanaryStatus> canaryAction(String model, String action) {
    return io.vertx.core.Future.failedFuture(new IllegalArgumentException("model '" + model + "' has no canary"));
  }
}
