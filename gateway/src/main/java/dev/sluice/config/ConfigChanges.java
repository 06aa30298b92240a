package dev.sluice.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a config reload changes, by name: models, providers, keys and teams added, removed or
 * changed, the scopes whose rate limits changed ({@code key:a}, {@code team:t}, {@code model:m},
 * {@code target:p/m}), the targets whose price override changed, and the settings that differ in the
 * new file but only take effect at a restart ({@link #needsRestart}: they keep their running value).
 * Names only: never a key or any other secret. Immutable.
 *
 * <p>Live: {@code providers}, {@code models} (targets, weights, routing, reliability, limits,
 * prices, adaptations), {@code keys}, {@code teams}, {@code unsupported_params}. Restart only:
 * {@code server}, {@code store}, {@code admission}, {@code redis}, {@code observability},
 * {@code outbound}, {@code console}, and a model entry's {@code canary}, {@code shadow} and {@code cache}.
 */
public record ConfigChanges(Diff models, Diff providers, Diff keys, Diff teams, List<String> limits,
    List<String> prices, List<String> needsRestart) {

  public ConfigChanges {
    limits = List.copyOf(limits);
    prices = List.copyOf(prices);
    needsRestart = List.copyOf(needsRestart);
  }

  /** Names added, removed and changed, each sorted. */
  public record Diff(List<String> added, List<String> removed, List<String> changed) {
    public Diff {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
    }

    boolean none() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    static <T> Diff of(List<T> before, List<T> after, Function<T, String> name) {
      Map<String, T> b = byName(before, name);
      Map<String, T> a = byName(after, name);
      List<String> added = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      List<String> changed = new ArrayList<>();
      for (String n : new TreeSet<>(a.keySet())) {
        if (!b.containsKey(n)) {
          added.add(n);
        } else if (!b.get(n).equals(a.get(n))) {
          changed.add(n);
        }
      }
      for (String n : new TreeSet<>(b.keySet())) {
        if (!a.containsKey(n)) {
          removed.add(n);
        }
      }
      return new Diff(added, removed, changed);
    }

    ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      added.forEach(o.putArray("added")::add);
      removed.forEach(o.putArray("removed")::add);
      changed.forEach(o.putArray("changed")::add);
      return o;
    }

    @Override
    public String toString() {
      return "+" + added.size() + " -" + removed.size() + " ~" + changed.size();
    }
  }

  /** What changes from {@code running} to {@code next}, both valid configs. */
  public static ConfigChanges between(SluiceConfig running, SluiceConfig next) {
    return new ConfigChanges(Diff.of(running.models(), next.models(), ModelConfig::name),
        Diff.of(running.providers(), next.providers(), ProviderConfig::name),
        Diff.of(running.keys(), next.keys(), ConfigChanges::keyName),
        Diff.of(running.teams(), next.teams(), TeamConfig::name),
        changedLimits(running, next), changedPrices(running, next), needsRestart(running, next));
  }

  /** Whether nothing at all differs. */
  public boolean none() {
    return models.none() && providers.none() && keys.none() && teams.none() && limits.isEmpty() && prices.isEmpty()
        && needsRestart.isEmpty();
  }

  /**
   * The config a reload runs with: {@code next}'s live sections with {@code running}'s restart-only
   * ones ({@link #needsRestart}); a model entry's canary, shadow and cache keep running as they were
   * built at start whatever this says.
   */
  public static SluiceConfig live(SluiceConfig running, SluiceConfig next) {
    return new SluiceConfig(running.server(), next.providers(), next.models(), next.keys(), next.unsupportedParams(),
        next.skipped(), next.teams(), running.flow(), running.storeUrl(), running.observability(), running.outbound(),
        running.console());
  }

  /** One line for the log: {@code models +1 -0 ~2, providers ..., needs restart [server.port]}. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append("models ").append(models).append(", providers ").append(providers).append(", keys ").append(keys)
        .append(", teams ").append(teams).append(", limits ").append(limits.size()).append(", prices ")
        .append(prices.size());
    if (!needsRestart.isEmpty()) {
      s.append(", needs restart ").append(needsRestart);
    }
    return s.toString();
  }

  /** {@code {"models": {"added": [...], ...}, ..., "limits": [...], "prices": [...], "needs_restart": [...]}}. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("models", models.toJson());
    o.set("providers", providers.toJson());
    o.set("keys", keys.toJson());
    o.set("teams", teams.toJson());
    limits.forEach(o.putArray("limits")::add);
    prices.forEach(o.putArray("prices")::add);
    needsRestart.forEach(o.putArray("needs_restart")::add);
    return o;
  }

  private static String keyName(KeyConfig k) {
    return k.name();
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> out = new LinkedHashMap<>();
    items.forEach(i -> out.putIfAbsent(name.apply(i), i));
    return out;
  }

  private static List<String> changedLimits(SluiceConfig running, SluiceConfig next) {
    Map<String, LimitsConfig> before = limits(running);
    Map<String, LimitsConfig> after = limits(next);
    TreeSet<String> scopes = new TreeSet<>(before.keySet());
    scopes.addAll(after.keySet());
    return scopes.stream().filter(s -> !Objects.equals(before.getOrDefault(s, LimitsConfig.NONE),
        after.getOrDefault(s, LimitsConfig.NONE))).toList();
  }

  private static Map<String, LimitsConfig> limits(SluiceConfig c) {
    Map<String, LimitsConfig> out = new LinkedHashMap<>();
    c.keys().forEach(k -> put(out, "key:" + k.name(), k.limits()));
    c.teams().forEach(t -> put(out, "team:" + t.name(), t.limits()));
    for (ModelConfig m : c.models()) {
      put(out, "model:" + m.name(), m.limits());
      m.targets().forEach(t -> out.putIfAbsent("target:" + t.provider() + "/" + t.model(),
          t.limits() == null || t.limits().isNone() ? LimitsConfig.NONE : t.limits()));
    }
    return out;
  }

  private static void put(Map<String, LimitsConfig> out, String scope, LimitsConfig l) {
    out.put(scope, l == null || l.isNone() ? LimitsConfig.NONE : l);
  }

  private static List<String> changedPrices(SluiceConfig running, SluiceConfig next) {
    Map<String, PriceConfig> before = prices(running);
    Map<String, PriceConfig> after = prices(next);
    TreeSet<String> targets = new TreeSet<>(before.keySet());
    targets.addAll(after.keySet());
    return targets.stream().filter(t -> !Objects.equals(before.get(t), after.get(t))).toList();
  }

  private static Map<String, PriceConfig> prices(SluiceConfig c) {
    Map<String, PriceConfig> out = new LinkedHashMap<>();
    for (ModelConfig m : c.models()) {
      for (ModelConfig.TargetConfig t : m.targets()) {
        if (t.price() != null) {
          out.putIfAbsent(t.provider() + "/" + t.model(), t.price());
        }
      }
    }
    return out;
  }

  private static List<String> needsRestart(SluiceConfig running, SluiceConfig next) {
    List<String> out = new ArrayList<>();
    ServerConfig a = running.server();
    ServerConfig b = next.server();
    differs(out, "server.host", a.host(), b.host());
    differs(out, "server.port", a.port(), b.port());
    differs(out, "server.master_key", a.masterKey(), b.masterKey());
    differs(out, "server.metrics_key", a.metricsKey(), b.metricsKey());
    differs(out, "server.max_body_bytes", a.maxBodyBytes(), b.maxBodyBytes());
    differs(out, "server.shutdown_grace", a.shutdownGrace(), b.shutdownGrace());
    differs(out, "server.on_client_disconnect", a.drainOnClientDisconnect(), b.drainOnClientDisconnect());
    differs(out, "server.config_watch", a.configWatch(), b.configWatch());
    differs(out, "server (client limits)", a.clientLimits(), b.clientLimits());
    differs(out, "store", running.storeUrl(), next.storeUrl());
    FlowConfig fa = running.flow();
    FlowConfig fb = next.flow();
    if (fa.maxQueue() != fb.maxQueue() || !fa.maxWait().equals(fb.maxWait()) || fa.maxInFlight() != fb.maxInFlight()) {
      out.add("admission");
    }
    if (!Objects.equals(fa.redisUrl(), fb.redisUrl()) || !Objects.equals(fa.redisOnFailure(), fb.redisOnFailure())
        || fa.expectedReplicas() != fb.expectedReplicas()) {
      out.add("redis");
    }
    differs(out, "observability", running.observability(), next.observability());
    differs(out, "outbound", running.outbound(), next.outbound());
    differs(out, "console", running.console(), next.console());
    Map<String, ModelConfig> before = byName(running.models(), ModelConfig::name);
    for (ModelConfig m : next.models()) {
      ModelConfig was = before.get(m.name());
      String path = "models[" + m.name() + "]";
      differs(out, path + ".canary", was == null ? null : was.canary(), m.canary());
      differs(out, path + ".shadow", was == null ? List.of() : was.shadow(), m.shadow());
      differs(out, path + ".cache", was == null ? null : was.cache(), m.cache());
    }
    return out;
  }

  private static void differs(List<String> out, String path, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(path);
    }
  }
}
