package dev.sluice.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class MockAnswerTest {

  @Test
  void echoesThePromptWithCollapsedWhitespace() {
    MockAnswer answer = MockAnswer.forPrompt("  hello \n\t world ", 0);

    assertThat(answer.text()).isEqualTo("This is a mock response to: hello world");
    assertThat(answer.completionTokens()).isEqualTo(8);
    assertThat(String.join("", answer.streamPieces())).isEqualTo(answer.text());
  }

  @Test
  void truncatesThePromptTo200CharactersWithoutSplittingSurrogates() {
    String longPrompt = "x".repeat(199) + "\uD83D\uDE00" + "tail";

    MockAnswer answer = MockAnswer.forPrompt(longPrompt, 0);

    assertThat(answer.text()).isEqualTo(MockAnswer.PREFIX + "x".repeat(199));
  }

  @Test
  void appendsFillerWords() {
    MockAnswer answer = MockAnswer.forPrompt(null, 20);

    assertThat(answer.words()).hasSize(6 + 20);
    assertThat(answer.words().subList(6, 9)).containsExactly("lorem", "ipsum", "dolor");
  }

  @Test
  void countsPromptTokensWithAMinimumOfOne() {
    assertThat(MockAnswer.promptTokens(List.of("a b", " c "))).isEqualTo(3);
    assertThat(MockAnswer.promptTokens(List.of("", "  "))).isEqualTo(1);
  }

  @Test
  void embeddingsAreUnitLengthAndStable() {
    float[] v = OpenAiEmbeddings.vector("alpha");
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }

    assertThat(Math.sqrt(norm)).isCloseTo(1.0, offset(1e-5));
    assertThat(OpenAiEmbeddings.vector("alpha")).containsExactly(v);
  }
}
