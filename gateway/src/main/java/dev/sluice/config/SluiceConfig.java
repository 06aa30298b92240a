package dev.sluice.config;

import dev.sluice.core.ParamPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A validated config: every reference resolves (targets name existing providers, names are
 * unique). Immutable.
 *
 * @param unsupportedParams the global policy for parameters a target cannot carry (default drop)
 * @param teams declared teams (a key may name an undeclared team: it then has no team limits or budget)
 * @param flow admission queue, global in-flight guard, Redis
 * @param storeUrl {@code sqlite:PATH} or {@code postgresql://...}
 * @param observability traces, request-log retention
 * @param outbound where URLs that do not come from this file may point
 * @param console the web console ({@code console:}): how long a sign-in lasts
 * @param skipped human-readable notes on optional entries left out (a provider whose key is unset)
 */
public record SluiceConfig(
    ServerConfig server, List<ProviderConfig> providers, List<ModelConfig> models, List<KeyConfig> keys,
    ParamPolicy unsupportedParams, List<String> skipped, List<TeamConfig> teams, FlowConfig flow, String storeUrl,
    ObservabilityConfig observability, OutboundConfig outbound, ConsoleConfig console) {

  public SluiceConfig {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    keys = List.copyOf(keys);
    skipped = List.copyOf(skipped);
    teams = List.copyOf(teams);
  }

  @Override
  public String toString() {
    // Never the store URL: a PostgreSQL URL carries its password.
    return "SluiceConfig[" + server + ", providers=" + providers + ", models=" + models.size() + ", keys=" + keys
        + ", teams=" + teams.size() + "]";
  }

  /**
   * Reads and validates a config file, {@code ${env:NAME}} references resolved from the process
   * environment; relative paths in it (the SQLite store) resolve against the file's directory.
   *
   * @throws ConfigException listing every problem and its path
   */
  public static SluiceConfig load(java.nio.file.Path file) {
    return ConfigLoader.fromSystemEnv().load(file);
  }

  /**
   * Parses and validates config text held in memory (an embedding application's own resource or
   * string), {@code ${env:NAME}} references resolved from the process environment; relative paths
   * resolve against the working directory.
   *
   * @throws ConfigException listing every problem and its path
   */
  public static SluiceConfig fromYaml(String yaml) {
    return ConfigLoader.fromSystemEnv().parse(yaml, "(in-memory config)");
  }

  public Optional<ProviderConfig> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public SluiceConfig withPort(int port) {
    return new SluiceConfig(server.withPort(port), providers, models, keys, unsupportedParams, skipped, teams, flow,
        storeUrl, observability, outbound, console);
  }

  /** The same config with its store elsewhere (tests keep each gateway's SQLite file apart). */
  public SluiceConfig withStoreUrl(String url) {
    return new SluiceConfig(server, providers, models, keys, unsupportedParams, skipped, teams, flow, url, observability,
        outbound, console);
  }
}
