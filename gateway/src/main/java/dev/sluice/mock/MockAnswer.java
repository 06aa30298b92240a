package dev.sluice.mock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The deterministic answer of the mock provider and its token accounting.
 *
 * <p>The answer is {@code "This is a mock response to: <prompt>"} where the prompt is the last user
 * message truncated to {@value #MAX_ECHO_CHARS} characters, followed by {@code extraWords} filler
 * words. Whitespace is collapsed to single spaces so that the streamed pieces ({@link
 * #streamPieces()}) concatenate to exactly {@link #text()}, whatever the prompt contains. One
 * "token" is one whitespace-separated word: crude, but stable and easy to assert on.
 */
public final class MockAnswer {

  /** Maximum number of prompt characters echoed back. */
  public static final int MAX_ECHO_CHARS = 200;

  static final String PREFIX = "This is a mock response to: ";
  private static final String[] FILLER = ("lorem ipsum dolor sit amet consectetur adipiscing elit "
      + "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua").split(" ");

  private final List<String> words;
  private final String text;

  private MockAnswer(List<String> words) {
    this.words = List.copyOf(words);
    this.text = String.join(" ", words);
  }

  /**
   * Builds the answer to a prompt.
   *
   * @param lastUserText text of the last user message ({@code null} is treated as empty)
   * @param extraWords number of filler words to append (the {@code words} fault)
   */
  public static MockAnswer forPrompt(String lastUserText, int extraWords) {
    List<String> words = new ArrayList<>(splitWords(PREFIX + truncate(lastUserText)));
    for (int i = 0; i < extraWords; i++) {
      words.add(FILLER[i % FILLER.length]);
    }
    return new MockAnswer(words);
  }

  /** The full answer text. */
  public String text() {
    return text;
  }

  /** The answer's words, in order. */
  public List<String> words() {
    return words;
  }

  /** Completion tokens: the number of words. */
  public int completionTokens() {
    return words.size();
  }

  /**
   * The pieces a stream sends, one per word: the first word bare, later ones with a leading space,
   * so their concatenation equals {@link #text()}.
   */
  public List<String> streamPieces() {
    List<String> pieces = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      pieces.add(i == 0 ? words.get(i) : " " + words.get(i));
    }
    return pieces;
  }

  /** Number of whitespace-separated words in {@code text} (0 for null or blank). */
  public static int countWords(String text) {
    return splitWords(text).size();
  }

  /** Prompt tokens: words across all given texts, at least 1 (real providers never report 0). */
  public static int promptTokens(Collection<String> texts) {
    int n = 0;
    for (String t : texts) {
      n += countWords(t);
    }
    return Math.max(1, n);
  }

  private static List<String> splitWords(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(text.trim().split("\\s+"));
  }

  private static String truncate(String text) {
    if (text == null) {
      return "";
    }
    if (text.length() <= MAX_ECHO_CHARS) {
      return text;
    }
    int end = MAX_ECHO_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a surrogate pair: the half would serialize as invalid UTF-8
    }
    return text.substring(0, end);
  }
}
