package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bedrock model ids, inference profiles and ARNs as targets name them find their bundled price. */
class BedrockPricesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      anthropic.claude-3-5-haiku-20241022-v1:0                                   | claude-3-5-haiku
      us.anthropic.claude-sonnet-4-5-20250929-v1:0                               | claude-sonnet-4-5
      eu.anthropic.claude-3-7-sonnet-20250219-v1:0                               | claude-3-7-sonnet
      global.anthropic.claude-opus-4-5-20251101-v1:0                             | claude-opus-4-5
      apac.anthropic.claude-3-haiku-20240307-v1:0                                | claude-3-haiku
      anthropic.claude-3-5-sonnet-20241022-v2:0                                  | claude-3-5-sonnet
      arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0 | claude-haiku-4-5
      meta.llama3-3-70b-instruct-v1:0                                            | llama3-3-70b-instruct
      us.meta.llama4-maverick-17b-instruct-v1:0                                  | llama4-maverick-17b-instruct
      amazon.nova-pro-v1:0                                                       | nova-pro
      us.amazon.nova-micro-v1:0                                                  | nova-micro
      amazon.titan-text-express-v1                                               | titan-text-express
      amazon.titan-embed-text-v2:0                                               | titan-embed-text-v2
      mistral.mistral-7b-instruct-v0:2                                           | mistral-7b-instruct
      mistral.mixtral-8x7b-instruct-v0:1                                         | mixtral-8x7b-instruct
      mistral.mistral-small-2402-v1:0                                            | mistral-small-2402
      """)
  void aBedrockIdFindsTheEntryOfItsBaseModel(String bedrockId, String entryId) {
    PriceCatalog catalog = PriceCatalog.bundled();
    ModelPrice found = catalog.find("aws", bedrockId).orElseThrow(() -> new AssertionError("no price for " + bedrockId));
    ModelPrice entry = catalog.entries().stream().filter(e -> e.id().equals(entryId)).findFirst()
        .orElseThrow(() -> new AssertionError("no catalog entry " + entryId)).price();
    assertThat(found).isSameAs(entry);
  }
}
