package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.cost.Micros;
import dev.sluice.testing.FuzzInputTimeout;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the config loader with arbitrary YAML: each text becomes a {@link SluiceConfig} or a
 * {@link ConfigException}, never another exception, and the exception's message never shows a
 * secret. The seeds plant {@link #CANARY} as secrets (API keys, the master and metrics keys, client
 * keys, header values, the password of a URL), directly or through an environment variable; a
 * message may show the canary only where the config also has it in a place that is not secret (a
 * provider {@code type: <canary>} is echoed in its error, and then it is no secret).
 * Seeds: {@code src/test/resources/dev/sluice/config/ConfigLoaderFuzzTestInputs/}.
 */
public final class ConfigLoaderFuzzTest {
  static final String CANARY = "sk-CANARY7f3a9c2e5b";
  private static final Map<String, String> ENV = Map.of("SLUICE_FUZZ_SECRET", CANARY, "SLUICE_FUZZ_PORT", "4000",
      "SLUICE_FUZZ_URL", "postgresql://sluice:" + CANARY + "@db:5432/sluice");
  /** Keys whose values (and everything beneath them) are secret wherever they appear. */
  private static final Set<String> SECRET_KEYS = Set.of("api_key", "master_key", "metrics_key", "key", "headers");
  /** Keys whose values are URLs, which may carry a password. */
  private static final Set<String> URL_KEYS = Set.of("url", "base_url", "endpoint", "alert_webhook");

  @FuzzTest
  void configFiles(byte[] input) {
    oneInput(input);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    FuzzInputTimeout.run("config loader", input, () -> {
      try {
        SluiceConfig config = new ConfigLoader(ENV::get).parse(yaml, "fuzz.yaml", Path.of("target"));
        assertThat(config.server()).isNotNull();
        moneyIsMicros(config);
      } catch (ConfigException e) {
        assertThat(e.problems()).isNotEmpty();
        if (e.getMessage().contains(CANARY)) {
          assertThat(canaryIsPublic(yaml))
              .as("the config error shows a secret:%n%s%nfor the config:%n%s", e.getMessage(), yaml).isTrue();
        }
      }
    });
  }

  /** Every amount of an accepted config converts to micro-USD, as billing converts them at start-up. */
  private static void moneyIsMicros(SluiceConfig config) {
    List<BigDecimal> amounts = new ArrayList<>();
    config.keys().forEach(k -> budget(k.budget(), amounts));
    config.teams().forEach(t -> budget(t.budget(), amounts));
    for (ModelConfig m : config.models()) {
      for (ModelConfig.TargetConfig t : m.targets()) {
        if (t.price() != null) {
          amounts.addAll(Arrays.asList(t.price().inputPerMtok(), t.price().outputPerMtok(),
              t.price().cachedInputPerMtok(), t.price().cacheWritePerMtok()));
        }
      }
    }
    for (BigDecimal usd : amounts) {
      if (usd != null) {
        Micros.ofUsd(usd);
      }
    }
  }

  private static void budget(BudgetConfig budget, List<BigDecimal> amounts) {
    if (budget != null) {
      amounts.add(budget.usd());
    }
  }

  /** Whether the config holds the canary somewhere that is not a secret: a name, or a non-secret value. */
  private static boolean canaryIsPublic(String yaml) {
    EnvSubstitution env = new EnvSubstitution(ENV::get);
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(env.protect(yaml));
    } catch (Exception notYaml) {
      return false; // a YAML syntax error must not quote the document
    }
    return root != null && isPublicIn(root, null, env);
  }

  /** @param key the name {@code node} is the value of; null for list items and the root */
  private static boolean isPublicIn(JsonNode node, String key, EnvSubstitution env) {
    if (node.isValueNode()) {
      String value = env.resolve(node.asText()).value();
      return value != null && (key != null && URL_KEYS.contains(key) ? withoutUserInfo(value) : value).contains(CANARY);
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (isPublicIn(item, null, env)) {
          return true;
        }
      }
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getKey().contains(CANARY)) {
        return true;
      }
      if (!SECRET_KEYS.contains(f.getKey())) {
        if (isPublicIn(f.getValue(), f.getKey(), env)) {
          return true;
        }
      } else if (f.getKey().equals("headers") && f.getValue().isObject()) {
        for (Iterator<String> names = f.getValue().fieldNames(); names.hasNext(); ) {
          if (names.next().contains(CANARY)) {
            return true; // a header's name is no secret, its value is
          }
        }
      }
    }
    return false;
  }

  /**
   * A URL's user and password are secret: what stands between the scheme ({@code postgres:} or
   * {@code https://}) and the last {@code @} is left out.
   */
  private static String withoutUserInfo(String url) {
    int at = url.lastIndexOf('@');
    int colon = url.indexOf(':');
    if (at < 0 || colon < 0 || colon > at) {
      return url;
    }
    return url.substring(0, colon + 1) + url.substring(at + 1);
  }
}
