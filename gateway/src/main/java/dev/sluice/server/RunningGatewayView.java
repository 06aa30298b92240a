package dev.sluice.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.Pricing;
import dev.sluice.config.EffectiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.extension.GatewayView;
import dev.sluice.extension.ProviderStatus;
import dev.sluice.pipeline.RequestPipeline;
import dev.sluice.routing.ModelEntry;
import dev.sluice.store.Store;
import dev.sluice.tenancy.AuthResult;
import dev.sluice.tenancy.ClientAuth;
import dev.sluice.upstream.OutboundDecision;
import dev.sluice.upstream.OutboundGuard;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * What the admin API and the console see of a running gateway: views over the pipeline, the key
 * store and the config it started with. Model targets and prices are the pipeline's own (its router
 * and its pricing), not a second reading of the config. Thread-safe.
 */
final class RunningGatewayView implements GatewayView {
  /** The config started with: the master key and the console settings are read from it (restart only). */
  private final SluiceConfig config;
  private final RequestPipeline pipeline;
  private final ClientAuth auth;
  private final Store store;
  private final OutboundGuard outbound;
  private volatile Pricing pricing;
  private volatile Map<String, List<Target>> modelTargets;
  private volatile ObjectNode configReport;
  private volatile java.util.function.Function<String, Future<dev.sluice.extension.ConfigReload>> reloads =
      actor -> ConfigReloader.noFile();

  RunningGatewayView(SluiceConfig config, RequestPipeline pipeline, ClientAuth auth, Store store,
      OutboundGuard outbound) {
    this.config = config;
    this.pipeline = pipeline;
    this.auth = auth;
    this.store = store;
    this.outbound = outbound;
    reloaded(config);
  }

  /** After a config reload: the pipeline's new targets and prices, and the report of {@code running}. */
  void reloaded(SluiceConfig running) {
    this.pricing = pipeline.pricing();
    this.modelTargets = pipeline.router().models().stream()
        .collect(Collectors.toUnmodifiableMap(ModelEntry::name, ModelEntry::targets));
    this.configReport = EffectiveConfig.report("the running gateway", running);
  }

  /** What {@link #reloadConfig} does. */
  void reloads(java.util.function.Function<String, Future<dev.sluice.extension.ConfigReload>> reloads) {
    this.reloads = reloads;
  }

  @Override
  public Future<dev.sluice.extension.ConfigReload> reloadConfig(String actor) {
    return reloads.apply(actor);
  }

  @Override
  public ObjectNode configReport() {
    return configReport;
  }

  @Override
  public List<Target> modelTargets(String model) {
    return modelTargets.getOrDefault(model, List.of());
  }

  @Override
  public OptionalLong costMicros(Target target, TokenUsage usage) {
    Cost cost = pricing.cost(target, usage);
    return cost.priceKnown() ? OptionalLong.of(cost.total().value()) : OptionalLong.empty();
  }

  @Override
  public Map<String, String> breakerStates() {
    return pipeline.breakerStates();
  }

  @Override
  public ProviderStatus.Report providers() {
    return ProviderStatuses.of(pipeline);
  }

  @Override
  public boolean isMasterKey(String presented) {
    return auth.isMaster(presented);
  }

  @Override
  public boolean hasMasterKey() {
    return auth.hasMaster();
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public String outboundRefusal(String url) {
    return outbound.screen(url).map(OutboundDecision.Refused::message).orElse(null);
  }

  @Override
  public Future<Void> keyChanged(String keyHash) {
    return auth.keyChanged(keyHash);
  }

  @Override
  public Future<String> clientKeyName(String presented) {
    return auth.authenticate(presented).compose(RunningGatewayView::nameOrNull);
  }

  @Override
  public Future<String> clientKeyNameByHash(String keyHash) {
    return auth.authenticateDigest(keyHash).compose(RunningGatewayView::nameOrNull);
  }

  @Override
  public byte[] derivedSecret(String purpose) {
    return DerivedSecrets.derive(config.server().masterKey(), purpose);
  }

  @Override
  public Duration consoleSessionTtl() {
    return config.console().sessionTtl();
  }

  /** An accepted key's name; null for a refused one; a failure when the key store could not be asked. */
  private static Future<String> nameOrNull(AuthResult r) {
    if (r.accepted()) {
      return Future.succeededFuture(r.principal().name());
    }
    return r.refusal().status() >= 500 ? Future.failedFuture(r.refusal().message()) : Future.succeededFuture(null);
  }

  @Override
  public List<dev.sluice.extension.CanaryStatus> canaries() {
    return pipeline.canaries().snapshot().stream().map(CanaryStatuses::of).toList();
  }

  @Override
  public Future<dev.sluice.extension.CanaryStatus> canaryAction(String model, String action) {
    dev.sluice.switching.canary.CanaryAction a = dev.sluice.switching.canary.CanaryAction.of(action);
    if (a == null) {
      return Future.failedFuture(new IllegalArgumentException(
          "Unknown canary action '" + action + "'; valid: restart, pause, resume, rollback"));
    }
    return pipeline.canaries().command(model, a).map(CanaryStatuses::of);
  }
}
