package dev.sluice.cli;

import dev.sluice.config.KeyConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.server.Gateway;
import java.util.List;

/** What {@code serve} prints on start: where it listens, what it serves, and a curl line to try. */
final class Banner {
  private Banner() {}

  static String text(Gateway gateway, boolean demo) {
    SluiceConfig cfg = gateway.config();
    String host = cfg.server().host().equals("0.0.0.0") ? "localhost" : cfg.server().host();
    String url = "http://" + host + ":" + gateway.port();
    List<String> models = gateway.modelNames();
    StringBuilder sb = new StringBuilder();
    sb.append("Sluice listening on ").append(url).append(demo ? "  (bundled demo config)" : "").append('\n');
    sb.append("  OpenAI base URL: ").append(url).append("/v1\n");
    sb.append("  models: ").append(String.join(", ", models)).append('\n');
    List<String> leftOut = cfg.skipped().stream().filter(s -> s.startsWith("provider")).toList();
    long skippedModels = cfg.skipped().stream().filter(s -> s.startsWith("model")).count();
    if (!leftOut.isEmpty()) {
      sb.append("  left out (set their keys to use them): ").append(String.join(", ", leftOut.stream()
          .map(s -> s.replace("provider ", "").replace(" (no api_key set)", "")).toList()))
          .append(skippedModels > 0 ? " and " + skippedModels + " model(s) that use them" : "").append('\n');
    }
    String chatModel = models.stream().filter(m -> !m.contains("embedding")).findFirst().orElse("MODEL");
    String key = demo && !cfg.keys().isEmpty() ? displayKey(cfg.keys().get(0)) : "$SLUICE_KEY";
    sb.append("Try it:\n  curl ").append(url).append("/v1/chat/completions \\\n")
        .append("    -H 'Authorization: Bearer ").append(key).append("' -H 'Content-Type: application/json' \\\n")
        .append("    -d '{\"model\":\"").append(chatModel)
        .append("\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'\n");
    return sb.toString();
  }

  /** The demo key is printed only when it is the well-known default, never a key from the environment. */
  private static String displayKey(KeyConfig k) {
    return k.key().equals("sk-sluice-demo") ? k.key() : "$SLUICE_DEMO_KEY";
  }
}
