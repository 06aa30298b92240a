package dev.sluice.switching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Json;
import org.junit.jupiter.api.Test;

/** The bundled family catalog loads, is dated, and sends each common model to the right family. */
class FamilyCatalogTest {
  private final FamilyCatalog catalog = FamilyCatalog.bundled();

  @Test
  void theBundledCatalogIsVersionedAndDated() {
    assertThat(catalog.version()).isNotBlank();
    assertThat(catalog.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(catalog.familyNames()).contains("openai-reasoning", "anthropic-thinking", "gemini-2.5-pro", "gemini-3");
  }

  @Test
  void commonModelsFindTheirFamily() {
    assertThat(catalog.familyOf("openai", "o1")).hasValue("openai-reasoning");
    assertThat(catalog.familyOf("openai", "o3-mini-2025-01-31")).hasValue("openai-reasoning");
    assertThat(catalog.familyOf("openai", "gpt-5.1")).hasValue("openai-reasoning");
    assertThat(catalog.familyOf("openai", "gpt-5-chat-latest")).hasValue("openai-gpt-5-chat");
    assertThat(catalog.familyOf("azure-openai", "o4-mini")).hasValue("openai-reasoning");
    assertThat(catalog.familyOf("openai", "GPT-4o-mini")).hasValue("openai-chat");
    assertThat(catalog.familyOf("anthropic", "claude-sonnet-4-5-20250929")).hasValue("anthropic-thinking");
    assertThat(catalog.familyOf("anthropic", "claude-3-7-sonnet-latest")).hasValue("anthropic-thinking");
    assertThat(catalog.familyOf("anthropic", "claude-3-5-haiku-latest")).hasValue("anthropic-claude");
    assertThat(catalog.familyOf("gemini", "gemini-2.5-flash-lite")).hasValue("gemini-2.5-flash-lite");
    assertThat(catalog.familyOf("gemini", "gemini-2.5-flash-preview-05-20")).hasValue("gemini-2.5-flash");
    assertThat(catalog.familyOf("gemini", "gemini-3-pro-preview")).hasValue("gemini-3");
  }

  @Test
  void familiesAreBoundToTheirProviderTypes() {
    assertThat(catalog.familyOf("openai-compatible", "gpt-5")).isEmpty(); // a self-hosted server's rules are unknown
    assertThat(catalog.familyOf("anthropic", "gpt-4o")).isEmpty();
    assertThat(catalog.familyOf("openai", "llama-3.1-70b")).isEmpty();
  }

  @Test
  void globsMatchPiecesInOrderIgnoringCase() {
    NamePattern p = new NamePattern("claude-*-4*");
    assertThat(p.matches("claude-sonnet-4-5")).isTrue();
    assertThat(p.matches("CLAUDE-opus-4")).isTrue();
    assertThat(p.matches("claude-3-5-sonnet")).isFalse();
    assertThat(new NamePattern("o1").matches("o1")).isTrue();
    assertThat(new NamePattern("o1").matches("o1-mini")).isFalse();
    assertThat(new NamePattern("a*a").matches("a")).isFalse();
  }

  @Test
  void aFamilyWithoutSourcesIsRefused() throws Exception {
    assertThatThrownBy(() -> FamilyCatalog.read(Json.MAPPER.readTree("""
        {"version":"1","as_of":"2026-01-01","families":[{"name":"x","providers":["openai"],"models":["x*"]}]}""")))
        .hasMessageContaining("family 'x' cites no source");
  }
}
