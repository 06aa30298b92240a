package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockConfigTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE";

  private static SluiceConfig parse(String providerEntry, Map<String, String> env) {
    return new ConfigLoader(env::get).parse("""
        providers:
          - name: aws
        %s
        models:
          - name: chat
            targets: [ { provider: aws, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } ]
        """.formatted(providerEntry.indent(4).stripTrailing()), "test.yaml");
  }

  private static List<ConfigProblem> problems(String providerEntry) {
    try {
      parse(providerEntry, Map.of());
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void explicitKeysComeFromTheEnvironmentAndTheEndpointFromTheRegion() {
    SluiceConfig cfg = parse("""
        type: bedrock
        region: eu-central-1
        access_key_id: ${env:AWS_KEY_ID}
        secret_access_key: ${env:AWS_SECRET}
        session_token: ${env:AWS_TOKEN}""", Map.of("AWS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET", SECRET, "AWS_TOKEN", TOKEN));

    ProviderConfig p = cfg.providers().get(0);
    assertThat(p.type()).isEqualTo(ProviderType.BEDROCK);
    assertThat(p.baseUrl()).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
    assertThat(p.aws()).isEqualTo(new AwsSettings("eu-central-1", "AKIAEXAMPLE", SECRET, TOKEN));
    assertThat(p.apiKey()).isNull();
    assertThat(p.toString()).doesNotContain(SECRET);
    assertThat(p.aws().toString()).doesNotContain(SECRET).doesNotContain(TOKEN);
    String shown = EffectiveConfig.redacted(cfg).toString();
    assertThat(shown).doesNotContain(SECRET).doesNotContain(TOKEN).contains("eu-central-1");
  }

  @Test
  void withoutKeysTheDefaultChainIsUsedAndABaseUrlMayPointElsewhere() {
    ProviderConfig p = parse("type: bedrock\nregion: us-west-2\nbase_url: http://127.0.0.1:9999", Map.of())
        .providers().get(0);
    assertThat(p.aws().explicitKeys()).isFalse();
    assertThat(p.aws().secretAccessKey()).isNull();
    assertThat(p.baseUrl()).isEqualTo("http://127.0.0.1:9999");
  }

  @Test
  void theRegionIsRequiredAndMustLookLikeOne() {
    assertThat(problems("type: bedrock")).extracting(ConfigProblem::path).contains("providers[0].region");
    assertThat(problems("type: bedrock\nregion: Frankfurt"))
        .anySatisfy(p -> assertThat(p.message()).contains("AWS region"));
  }

  @Test
  void halfAKeyPairOrKeysNextToAnApiKeyAreRefused() {
    assertThat(problems("type: bedrock\nregion: us-east-1\naccess_key_id: AKIAEXAMPLE"))
        .anySatisfy(p -> assertThat(p.path()).endsWith("secret_access_key"));
    assertThat(problems("type: bedrock\nregion: us-east-1\nsession_token: abc"))
        .anySatisfy(p -> assertThat(p.path()).endsWith("session_token"));
    assertThat(problems("type: bedrock\nregion: us-east-1\napi_key: k\naccess_key_id: A\nsecret_access_key: S"))
        .anySatisfy(p -> assertThat(p.path()).endsWith("api_key"));
  }

  @Test
  void awsKeysOnAnotherProviderTypeAreRefused() {
    assertThat(problems("type: openai\napi_key: sk-x\nregion: us-east-1"))
        .anySatisfy(p -> assertThat(p.message()).contains("only for provider type 'bedrock'"));
  }

  @Test
  void anOptionalBedrockProviderIsLeftOutOnlyWhenTheKeysItNamesAreUnset() {
    String named = """
        type: bedrock
        optional: true
        region: us-east-1
        access_key_id: ${env:AWS_KEY_ID}
        secret_access_key: ${env:AWS_SECRET}""";
    SluiceConfig unset = new ConfigLoader(Map.<String, String>of()::get).parse("""
        providers:
          - name: aws
        %s
          - name: o
            type: openai
            api_key: sk-test
        models:
          - name: chat
            targets: [ { provider: aws, model: m }, { provider: o, model: gpt-4o } ]
        """.formatted(named.indent(4).stripTrailing()), "test.yaml");
    assertThat(unset.providers()).extracting(ProviderConfig::name).containsExactly("o");
    assertThat(unset.skipped()).anySatisfy(s -> assertThat(s).contains("aws").contains("credentials are not set"));

    SluiceConfig chain = parse("type: bedrock\noptional: true\nregion: us-east-1", Map.of());
    assertThat(chain.providers()).hasSize(1);
  }
}
