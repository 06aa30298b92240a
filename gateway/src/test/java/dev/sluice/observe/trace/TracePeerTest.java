package dev.sluice.observe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TracePeerTest {
  @Test
  void knownProviderTypesUseTheirSemconvNamesAndOthersTheirConfigName() {
    assertThat(TracePeer.of("oai", "openai", "https://api.openai.com/v1", false).genAiProvider()).isEqualTo("openai");
    assertThat(TracePeer.of("az", "azure-openai", "https://x.openai.azure.com", false).genAiProvider())
        .isEqualTo("azure.ai.openai");
    assertThat(TracePeer.of("claude", "anthropic", "https://api.anthropic.com", false).genAiProvider())
        .isEqualTo("anthropic");
    assertThat(TracePeer.of("g", "gemini", "https://generativelanguage.googleapis.com", false).genAiProvider())
        .isEqualTo("gcp.gemini");
    assertThat(TracePeer.of("deepseek", "openai-compatible", "https://api.deepseek.com", false).genAiProvider())
        .isEqualTo("deepseek");
  }

  @Test
  void addressAndPortComeFromTheBaseUrl() {
    TracePeer https = TracePeer.of("oai", "openai", "https://api.openai.com/v1", true);
    assertThat(https.address()).isEqualTo("api.openai.com");
    assertThat(https.port()).isEqualTo(443);
    assertThat(https.propagate()).isTrue();
    TracePeer local = TracePeer.of("vllm", "openai-compatible", "http://[::1]:8000/v1", false);
    assertThat(local.address()).isEqualTo("::1");
    assertThat(local.port()).isEqualTo(8000);
    assertThat(TracePeer.of("x", "openai-compatible", "http://gpu-box/v1", false).port()).isEqualTo(80);
    assertThat(TracePeer.named("bench").address()).isNull();
  }
}
