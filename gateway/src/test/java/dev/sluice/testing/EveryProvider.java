package dev.sluice.testing;

import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Feature;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.azure.AzureOpenAiAdapter;
import dev.sluice.provider.gemini.GeminiAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Every provider adapter, for the fuzz tests of the front doors: a request a front door accepted
 * must encode for each provider, or fail with the one exception the pipeline turns into a 400
 * ({@link WireFormatException}); anything else escaping an encoder would be a 500.
 */
public final class EveryProvider {
  private static final Target TARGET = new Target("fuzz", "fuzz-model", 1, 0, Set.of());
  private static final List<ProviderAdapter> ADAPTERS = List.of(OpenAiAdapter.official(), OpenAiAdapter.instance(),
      new AzureOpenAiAdapter("2024-10-21"), AnthropicAdapter.create(),
      new GeminiAdapter(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)),
      new dev.sluice.provider.bedrock.BedrockAdapter());

  private EveryProvider() {}

  /**
   * What the pipeline does with an accepted request before the first upstream byte: the features it
   * needs, the parameters each adapter cannot carry dropped, then the encoding. Each encoded body
   * must be JSON.
   */
  public static void encode(ChatRequest request) {
    Feature.neededBy(request);
    for (ProviderAdapter adapter : ADAPTERS) {
      ChatRequest forAdapter = request.without(adapter.unsupportedParams(request));
      UpstreamRequest encoded;
      try {
        encoded = adapter.encode(forAdapter, TARGET);
      } catch (WireFormatException e) {
        if (e.getMessage() == null || e.getMessage().isEmpty()) {
          throw new AssertionError("a WireFormatException without a message", e);
        }
        continue;
      }
      try {
        Json.parse(encoded.body());
      } catch (IOException e) {
        throw new AssertionError(adapter.getClass().getSimpleName() + " encoded a body that is not JSON", e);
      }
    }
  }
}
