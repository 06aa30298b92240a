package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.core.Feature;
import dev.sluice.core.ParamPolicy;
import dev.sluice.core.UpstreamTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a YAML config into a validated {@link SluiceConfig}, or fails with every problem and its
 * path. Unknown keys are errors. A provider marked {@code optional: true} whose API key is unset is
 * left out, with the model targets that use it (how the demo config offers real providers only
 * when their keys are present).
 */
public final class ConfigLoader {
  public static final String DEMO_RESOURCE = "/sluice-demo.yaml";

  private static final Set<String> ROOT_KEYS = Set.of("server", "providers", "models", "keys", "unsupported_params",
      "teams", "admission", "redis", "store", "observability", "outbound", "console");
  private static final Set<String> PROVIDER_KEYS = Set.of("name", "type", "base_url", "api_key", "optional",
      "headers", "timeouts", "max_connections", "api_version", "fault", "propagate_trace", "region", "access_key_id",
      "secret_access_key", "session_token", "project", "location", "credentials_file", "ca_file");
  private static final Set<String> TIMEOUT_KEYS = Set.of("connect", "first_token", "idle", "total");
  private static final Set<String> MODEL_KEYS = union(Set.of("name", "targets", "unsupported_params", "max_tokens", "limits",
      "shadow", "canary", "sticky", "cache"), ReliabilityParser.MODEL_KEYS);
  private static final Set<String> TARGET_KEYS = union(Set.of("provider", "model", "weight", "capabilities", "limits",
      "price", "auto_cache"), AdaptationParser.TARGET_KEYS);
  private static final Set<String> CAPABILITY_KEYS = Set.of("streaming", "tools", "vision", "json_mode");
  
  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystemEnv() {
    return new ConfigLoader(System::getenv);
  }

  public SluiceConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigProblem("", "cannot read file: " + e.getMessage())));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir);
  }

  public SluiceConfig loadDemo() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "(bundled demo config)", Path.of("."));
    } catch (IOException e) {
      throw new IllegalStateException("the demo config is part of the jar", e);
    }
  }

  /** Parses config text; relative paths (the default SQLite store) resolve against the working directory. */
  public SluiceConfig parse(String yaml, String source) {
    return parse(yaml, source, Path.of("."));
  }

  public SluiceConfig parse(String yaml, String source, Path baseDir) {
    EnvSubstitution substitution = new EnvSubstitution(env);
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(substitution.protect(yaml));
    } catch (IOException e) {
      throw new ConfigException(source, List.of(new ConfigProblem("", syntaxError(e))));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, List.of(new ConfigProblem("", "the config must be a YAML mapping")));
    }
    ConfigNode top = new ConfigNode(root, "", problems, substitution);
    top.allowOnly(ROOT_KEYS);
    ServerConfig server = ServerParser.server(top.object("server"));
    ParamPolicy globalPolicy = policy(top, "unsupported_params", ParamPolicy.DROP);
    List<String> skipped = new ArrayList<>();
    List<ProviderConfig> providers = new ArrayList<>();
    Set<String> skippedProviders = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode p : top.list("providers")) {
      ProviderConfig provider = provider(p, skippedProviders, skipped);
      if (provider != null && !names.add(provider.name())) {
        p.problem("name", "duplicate provider name '" + provider.name() + "'");
      } else if (provider != null) {
        providers.add(provider);
      }
    }
    List<ModelConfig> models = new ArrayList<>();
    List<ConfigNode> modelNodes = new ArrayList<>();
    Set<String> modelNames = new HashSet<>();
    Set<String> skippedModels = new HashSet<>();
    for (ConfigNode m : top.list("models")) {
      ModelConfig model = model(m, names, skippedProviders);
      if (model == null) {
        continue;
      }
      if (!modelNames.add(model.name())) {
        m.problem("name", "duplicate model name '" + model.name() + "'");
      } else if (model.targets().isEmpty()) {
        skippedModels.add(model.name());
        skipped.add("model '" + model.name() + "' (all its providers are left out)");
      } else {
        models.add(model);
        modelNodes.add(m);
      }
    }
    ReliabilityParser.checkReferences(models, modelNodes, skippedModels);
    CanaryParser.checkReferences(models, modelNodes, names);
    ShadowParser.checkReferences(models, modelNodes, skippedModels, union(names, skippedProviders));
    List<TeamConfig> teams = TenantParser.teams(top);
    List<KeyConfig> keys = TenantParser.keys(top, teams, modelNames);
    FlowConfig flow = TenantParser.flow(top.object("admission"), top.object("redis"));
    String storeUrl = TenantParser.storeUrl(top.object("store"), baseDir);
    ObservabilityConfig observability = ObservabilityParser.observability(top.object("observability"));
    OutboundConfig outbound = ServerParser.outbound(top.object("outbound"));
    ConsoleConfig console = ServerParser.console(top.object("console"));
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return new SluiceConfig(server, providers, models, keys, globalPolicy, skipped, teams, flow, storeUrl,
        observability, outbound, console);
  }

  /**
   * A YAML syntax error by line and column, in the parser's own words only: whatever its message
   * quotes from the document (a character, an alias, anchor or tag name, a fragment of the line) is
   * left out, as the line may hold a key.
   */
  static String syntaxError(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException y) {
        org.yaml.snakeyaml.error.Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        return "not valid YAML" + where + plainWords((y.getContext() == null ? "" : y.getContext() + ": ")
            + (y.getProblem() == null ? "" : y.getProblem()));
      }
    }
    String where = "";
    String original = e.getMessage();
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
        && j.getLocation().getLineNr() > 0) {
      original = j.getOriginalMessage();
      where = " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
    }
    return "not valid YAML" + where + plainWords(original == null ? "" : original.lines().findFirst().orElse(""));
  }

  /**
   * {@code ": "} and {@code text} with every token that is not a plain word (letters, at most 16,
   * with punctuation around) replaced by {@code …}; empty when nothing is left.
   */
  private static String plainWords(String text) {
    StringBuilder out = new StringBuilder();
    boolean elided = false;
    for (String word : text.trim().split("\\s+")) {
      boolean plain = word.matches("\\(?[A-Za-z]{1,16}[,;:.)]*");
      if (plain || !elided) {
        out.append(out.length() == 0 ? "" : " ").append(plain ? word : "…");
      }
      elided = !plain;
    }
    String words = out.toString().replaceAll("[,;:]$", "");
    return words.isEmpty() || words.equals("…") ? "" : ": " + words;
  }

  private static ProviderConfig provider(ConfigNode p, Set<String> skippedProviders, List<String> skipped) {
    p.allowOnly(PROVIDER_KEYS);
    String name = p.requiredString("name");
    String typeName = p.requiredString("type");
    ProviderType type = null;
    if (typeName != null) {
      type = ProviderType.fromWire(typeName).orElse(null);
      if (type == null) {
        p.problem("type", "must be one of " + ProviderType.allWireNames());
      }
    }
    boolean optional = p.bool("optional", false);
    String apiKey = p.optionalSecret("api_key");
    UpstreamTimeouts timeouts = timeouts(p.object("timeouts"));
    int maxConnections = p.integer("max_connections", 1024, 1, 100_000);
    Map<String, String> headers = p.stringMap("headers");
    String apiVersion = p.string("api_version", null);
    String fault = p.string("fault", "");
    boolean propagateTrace = p.bool("propagate_trace", false);
    if (name == null || type == null) {
      return null;
    }
    AwsSettings aws = AwsParser.read(p, type);
    // vertex has Google credentials, not a key: found at start, so an optional one is never left out here
    if (optional && type != ProviderType.VERTEX
        && (type == ProviderType.BEDROCK ? AwsParser.credentialsUnset(p) : apiKey == null)) {
      skippedProviders.add(name);
      skipped.add("provider '" + name + "' (" + (type == ProviderType.BEDROCK ? "its credentials are not set"
          : "no api_key set") + ")");
      return null;
    }
    if (type.needsApiKey() && apiKey == null) {
      p.problem("api_key", "is required for provider type '" + type.wireName() + "' (set it, or mark the"
          + " provider 'optional: true' to leave it out when the key is missing)");
    }
    VertexConfig vertex = type == ProviderType.VERTEX ? vertex(p, apiKey) : null;
    for (String k : type == ProviderType.VERTEX ? List.<String>of() : List.of("project", "location", "credentials_file")) {
      if (p.string(k, null) != null) {
        p.problem(k, "is only for provider type 'vertex'");
      }
    }
    String baseUrl = p.string("base_url", vertex != null && vertex.location() != null
        ? "https://" + ("global".equals(vertex.location()) ? "" : vertex.location() + "-") + "aiplatform.googleapis.com"
        : aws != null ? aws.defaultBaseUrl() : type.defaultBaseUrl());
    if (type != ProviderType.MOCK) {
      if (baseUrl == null) {
        if (vertex == null) { // a vertex base URL is missing only when its location is, which is reported
          p.problem("base_url", "is required for provider type '" + type.wireName() + "'");
        }
      } else if (!isHttpUrl(baseUrl)) {
        p.problem("base_url", "must be an http:// or https:// URL");
      }
    }
    if (type == ProviderType.AZURE_OPENAI && apiVersion == null) {
      p.problem("api_version", "is required for provider type 'azure-openai'");
    }
    String caFile = p.string("ca_file", null);
    if (caFile != null) {
      String problem = TrustedAuthorities.problem(caFile, baseUrl);
      if (problem != null) {
        p.problem("ca_file", problem);
      }
    }
    return new ProviderConfig(name, type, baseUrl, apiKey, headers, timeouts, maxConnections, apiVersion, fault,
        propagateTrace, aws, vertex, caFile);
  }

  /** Vertex AI's keys; only they are valid for it (its credentials are Google's, never an API key). */
  private static VertexConfig vertex(ConfigNode p, String apiKey) {
    String project = p.requiredString("project");
    String location = p.requiredString("location");
    if (location != null && !location.matches("[a-z0-9-]+")) {
      p.problem("location", "must be a Google Cloud region such as us-central1, or global");
      location = null;
    }
    if (apiKey != null) {
      p.problem("api_key", "is not used by type 'vertex': it authenticates with Google credentials"
          + " (credentials_file, GOOGLE_APPLICATION_CREDENTIALS, gcloud's login or the metadata server)");
    }
    return new VertexConfig(project, location, p.string("credentials_file", null));
  }

  private static UpstreamTimeouts timeouts(ConfigNode t) {
    UpstreamTimeouts d = UpstreamTimeouts.DEFAULTS;
    if (t == null) {
      return d;
    }
    t.allowOnly(TIMEOUT_KEYS);
    return new UpstreamTimeouts(t.duration("connect", d.connect()), t.duration("first_token", d.firstToken()),
        t.duration("idle", d.idle()), t.duration("total", d.total()));
  }

  private static ModelConfig model(ConfigNode m, Set<String> providers, Set<String> skippedProviders) {
    m.allowOnly(MODEL_KEYS);
    String name = m.requiredString("name");
    List<ModelConfig.TargetConfig> targets = new ArrayList<>();
    List<ConfigNode> targetNodes = m.list("targets");
    if (targetNodes.isEmpty()) {
      m.problem("targets", "must list at least one target");
    }
    for (ConfigNode t : targetNodes) {
      t.allowOnly(TARGET_KEYS);
      String provider = t.requiredString("provider");
      String model = t.requiredString("model");
      int weight = t.integer("weight", 1, 1, 1_000_000);
      Set<Feature> disabled = disabledFeatures(t.object("capabilities"));
      LimitsConfig limits = TenantParser.limits(t.object("limits"));
      PriceConfig price = TenantParser.price(t.object("price"));
      AdaptationConfig adaptation = AdaptationParser.parse(t);
      boolean autoCache = t.bool("auto_cache", false);
      if (provider == null || model == null || skippedProviders.contains(provider)) {
        continue;
      }
      if (!providers.contains(provider)) {
        t.problem("provider", "no provider named '" + provider + "' is configured");
        continue;
      }
      targets.add(new ModelConfig.TargetConfig(provider, model, weight, disabled, limits, price, adaptation, autoCache));
    }
    return name == null ? null
        : new ModelConfig(name, targets, policy(m, "unsupported_params", null), m.integer("max_tokens", 0, 1, 10_000_000),
            ReliabilityParser.parse(m), TenantParser.limits(m.object("limits")), ShadowParser.parse(m),
            CanaryParser.canary(m), CanaryParser.sticky(m), CacheParser.parse(m));
  }

  private static ParamPolicy policy(ConfigNode node, String key, ParamPolicy fallback) {
    String v = node.string(key, null);
    if (v == null) {
      return fallback;
    }
    return switch (v) {
      case "drop" -> ParamPolicy.DROP;
      case "reject" -> ParamPolicy.REJECT;
      default -> {
        node.problem(key, "must be drop or reject");
        yield fallback;
      }
    };
  }

  /** {@code capabilities: { vision: false }}: features a target's model lacks. */
  private static Set<Feature> disabledFeatures(ConfigNode caps) {
    Set<Feature> off = java.util.EnumSet.noneOf(Feature.class);
    if (caps == null) {
      return off;
    }
    caps.allowOnly(CAPABILITY_KEYS);
    Map<String, Feature> byKey = Map.of("streaming", Feature.STREAMING, "tools", Feature.TOOLS,
        "vision", Feature.VISION, "json_mode", Feature.JSON_MODE);
    byKey.forEach((key, feature) -> {
      if (!caps.bool(key, true)) {
        off.add(feature);
      }
    });
    return off;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
