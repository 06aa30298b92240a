package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertexConfigTest {

  private static SluiceConfig parse(String provider) {
    return new ConfigLoader(Map.<String, String>of()::get).parse("""
        providers:
          - name: vertex
        %s
        models:
          - name: chat
            targets: [ { provider: vertex, model: gemini-2.5-flash } ]
        """.formatted(provider.indent(4).stripTrailing()), "test.yaml");
  }

  private static List<String> problems(String provider) {
    try {
      parse(provider);
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void theBaseUrlFollowsTheLocation() {
    ProviderConfig regional = parse("type: vertex\nproject: p1\nlocation: europe-west4").providers().get(0);
    ProviderConfig global = parse("type: vertex\nproject: p1\nlocation: global\ncredentials_file: /etc/sa.json")
        .providers().get(0);

    assertThat(regional.baseUrl()).isEqualTo("https://europe-west4-aiplatform.googleapis.com");
    assertThat(regional.vertex()).isEqualTo(new VertexConfig("p1", "europe-west4", null));
    assertThat(global.baseUrl()).isEqualTo("https://aiplatform.googleapis.com");
    assertThat(global.vertex().credentialsFile()).isEqualTo("/etc/sa.json");
  }

  @Test
  void projectAndLocationAreRequiredAndAnApiKeyIsRefused() {
    assertThat(problems("type: vertex\napi_key: AIza-not-for-vertex")).anySatisfy(p -> assertThat(p).contains("project")
        .contains("is required")).anySatisfy(p -> assertThat(p).contains("location").contains("is required"))
        .anySatisfy(p -> assertThat(p).contains("api_key").contains("Google credentials"));
    assertThat(problems("type: vertex\nproject: p\nlocation: us central")).singleElement()
        .satisfies(p -> assertThat(p).contains("location").contains("region"));
  }

  @Test
  void anOptionalVertexProviderIsNotLeftOutForLackOfAnApiKey() {
    assertThat(parse("type: vertex\nproject: p1\nlocation: us-central1\noptional: true").providers()).hasSize(1);
  }

  @Test
  void vertexKeysOnAnotherTypeAreErrors() {
    assertThat(problems("type: gemini\napi_key: k\nproject: p")).singleElement()
        .satisfies(p -> assertThat(p).contains("project").contains("only for provider type 'vertex'"));
  }
}
