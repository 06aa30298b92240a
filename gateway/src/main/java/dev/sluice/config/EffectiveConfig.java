package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.core.KnownSecrets;
import dev.sluice.core.Urls;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A loaded config as JSON, every secret redacted: what {@code GET /admin/config} shows. Every field
 * of the config records is written (snake case, as the file spells it; durations as {@code 30s};
 * defaults filled in, {@code ${env:...}} resolved), so it is the config the gateway runs with, not
 * the file it was read from. Secrets are removed twice over:
 * <ol>
 *   <li>by field: {@code api_key}, {@code master_key}, {@code metrics_key}, a client key's {@code key}
 *       and every value of {@code headers}/{@code otlp_headers} become {@value #REDACTED}; every URL
 *       ({@code *_url}, {@code *endpoint}) loses its password and query values ({@link Urls#redacted});
 *       an {@code alert_webhook} keeps only its origin (a chat webhook's path is its credential);
 *   <li>then every string left is passed through {@link KnownSecrets} built from all of those
 *       secrets, so a secret that also sits elsewhere (a key pasted into a model name, a password
 *       in a header) is caught too.
 * </ol>
 * Stateless and thread-safe.
 */
public final class EffectiveConfig {
  public static final String REDACTED = "[redacted]";
  private static final Set<String> SECRET_FIELDS = Set.of("api_key", "master_key", "metrics_key",
      "secret_access_key", "session_token");
  private static final Set<String> SECRET_MAPS = Set.of("headers", "otlp_headers");
  private static final ObjectMapper MAPPER = mapper();

  private EffectiveConfig() {}

  /**
   * {@code {"object": "sluice.config", "config": {...}, "check": {...}}}: the config redacted, and
   * what {@code sluice config check} says of it ({@link ConfigCheck}).
   */
  public static ObjectNode report(String source, SluiceConfig cfg) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("object", "sluice.config");
    o.set("config", redacted(cfg));
    ConfigCheck check = ConfigCheck.of(source, cfg);
    ObjectNode c = o.putObject("check");
    c.put("source", check.source());
    c.put("valid", check.valid());
    c.put("summary", check.summary());
    ArrayNode problems = c.putArray("problems");
    check.problems().forEach(p -> problems.addObject().put("path", p.path()).put("message", p.message()));
    ArrayNode warnings = c.putArray("warnings");
    check.warnings().forEach(warnings::add);
    KnownSecrets secrets = KnownSecrets.of(secretsOf(cfg));
    scrub(c, secrets::redact);
    return o;
  }

  /** The config as JSON with every secret redacted. */
  public static ObjectNode redacted(SluiceConfig cfg) {
    ObjectNode o = MAPPER.valueToTree(cfg);
    o.remove("skipped"); // the check's warnings, shown with the check
    redactFields(o, null);
    KnownSecrets secrets = KnownSecrets.of(secretsOf(cfg));
    scrub(o, secrets::redact);
    return o;
  }

  /** Every secret the config holds, as {@link KnownSecrets} should look for it. */
  static List<String> secretsOf(SluiceConfig cfg) {
    List<String> out = new ArrayList<>();
    out.add(cfg.server().masterKey());
    out.add(cfg.server().metricsKey());
    for (ProviderConfig p : cfg.providers()) {
      out.add(p.apiKey());
      out.addAll(p.headers().values());
      out.addAll(Urls.secretsOf(p.baseUrl()));
      if (p.aws() != null) {
        out.add(p.aws().secretAccessKey());
        out.add(p.aws().sessionToken());
      }
    }
    for (KeyConfig k : cfg.keys()) {
      out.add(k.key());
      if (k.budget() != null) {
        out.add(k.budget().alertWebhook());
      }
    }
    for (TeamConfig t : cfg.teams()) {
      if (t.budget() != null) {
        out.add(t.budget().alertWebhook());
      }
    }
    out.addAll(Urls.secretsOf(cfg.storeUrl()));
    out.addAll(Urls.secretsOf(cfg.flow().redisUrl()));
    out.addAll(Urls.secretsOf(cfg.observability().otlpEndpoint()));
    out.addAll(cfg.observability().otlpHeaders().values());
    return out;
  }

  private static void redactFields(JsonNode node, String parentField) {
    if (node instanceof ArrayNode a) {
      a.forEach(child -> redactFields(child, parentField));
      return;
    }
    if (!(node instanceof ObjectNode o)) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
    List<String> names = new ArrayList<>();
    fields.forEachRemaining(e -> names.add(e.getKey()));
    for (String name : names) {
      JsonNode v = o.get(name);
      if (v.isNull()) {
        continue;
      }
      if (SECRET_FIELDS.contains(name) || ("key".equals(name) && "keys".equals(parentField))) {
        o.put(name, REDACTED);
      } else if (SECRET_MAPS.contains(name) && v instanceof ObjectNode map) {
        List<String> headers = new ArrayList<>();
        map.fieldNames().forEachRemaining(headers::add);
        headers.forEach(h -> map.put(h, REDACTED));
      } else if ("alert_webhook".equals(name) && v.isTextual()) {
        o.put(name, Urls.origin(v.asText()) + "/" + REDACTED);
      } else if ((name.endsWith("url") || name.endsWith("endpoint")) && v.isTextual()) {
        o.put(name, Urls.redacted(v.asText()));
      } else {
        redactFields(v, name);
      }
    }
  }

  private static void scrub(JsonNode node, Function<String, String> redact) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (v.isTextual()) {
          o.set(name, TextNode.valueOf(redact.apply(v.asText())));
        } else {
          scrub(v, redact);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(redact.apply(a.get(i).asText())));
        } else {
          scrub(a.get(i), redact);
        }
      }
    }
  }

  /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 400d}: the largest unit that is exact. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms != 0 && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }

  private static ObjectMapper mapper() {
    SimpleModule m = new SimpleModule("effective-config");
    m.addSerializer(Duration.class, serializer((d, g) -> g.writeString(duration(d))));
    m.addSerializer(Pattern.class, serializer((p, g) -> g.writeString(p.pattern())));
    m.addSerializer(ProviderType.class, serializer((t, g) -> g.writeString(t.wireName())));
    return new ObjectMapper().registerModule(m)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // only the records' components: not isNone() and other derived answers
        .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
  }

  private interface Writer<T> {
    void write(T value, JsonGenerator g) throws IOException;
  }

  private static <T> JsonSerializer<T> serializer(Writer<T> w) {
    return new JsonSerializer<>() {
      @Override
      public void serialize(T value, JsonGenerator g, SerializerProvider p) throws IOException {
        w.write(value, g);
      }
    };
  }
}
