package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link O200kSplitter} cuts every text into the pieces of jtokkit's o200k_base expression. */
class O200kSplitterTest {
  /**
   * Code points chosen to walk every branch: each general category the expression names, \s beyond
   * ASCII, the contractions' letters and their Unicode case folds (ſ is an s, K the Kelvin sign),
   * line breaks and slashes, a supplementary letter and emoji, and lone surrogates.
   */
  private static final int[] TRICKY = {
      'a', 'z', 'A', 'Z', 's', 'S', 't', 'T', 'r', 'R', 'e', 'E', 'v', 'V', 'm', 'M', 'l', 'L', 'd', 'D', 'k',
      0x17F /* ſ */, 0x212A /* Kelvin */, 0x130 /* İ */, 0x131 /* ı */, 0x1C5 /* ǅ Lt */, 0x2B0 /* ʰ Lm */,
      0x4E2D /* 中 Lo */, 0x3042 /* あ */, 0x301 /* combining acute Mn */, 0x903 /* Mc */, 0x20DD /* Me */,
      0xE9, 0xC9, 0x3B1 /* α */, 0x391 /* Α */, 0x436 /* ж */,
      '0', '7', 0x663 /* Arabic-Indic 3 Nd */, 0x216B /* Ⅻ Nl */, 0xBD /* ½ No */,
      ' ', ' ', ' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x85, 0xA0, 0x2028, 0x2029, 0x3000, 0x200B /* zero width: not \s */,
      '\'', '\'', 0x2019 /* ’ */, '.', ',', '/', '/', '-', '!', '?', '"', '(', '$', '_', 0x201C, 0x2026, 0x2192,
      0x1D400 /* 𝐀 Lu, supplementary */, 0x1D41A /* 𝐚 Ll */, 0x1F600 /* 😀 */, 0x1F44D, 0x10400 /* 𐐀 */, 0x10428,
      0xD800 /* lone high surrogate */, 0xDC00 /* lone low surrogate */, 0xFFFD, 0x0, 0x7F, 0xE000 /* private use */,
      0x378 /* unassigned */,
  };

  @Test
  void everyBmpCodePointInEveryContextSplitsAsTheExpression() {
    String[] contexts = {"%s", "a%s", "A%s", " %s", "%sa", "%sA", "%s's", "x%s'll", "1%s", "%s1", "\n%s ", " %s  x",
        "%s%s", "'%s", "%s/\n", "  %s"};
    Pattern slot = Pattern.compile("%s");
    for (int c = 0; c <= 0xFFFF; c++) {
      String x = new String(Character.toChars(c));
      for (String context : contexts) {
        String text = slot.matcher(context).replaceAll(java.util.regex.Matcher.quoteReplacement(x));
        assertSame(text);
      }
    }
  }

  @Test
  void supplementaryCodePointsSplitAsTheExpression() {
    for (int c = 0x10000; c <= 0x10FFFF; c += 7) {
      String x = new String(Character.toChars(c));
      assertSame(x);
      assertSame("a" + x + "b");
      assertSame(" " + x + "'s " + x + x);
    }
  }

  @Test
  void randomTextOfTrickyCodePointsSplitsAsTheExpression() {
    SplittableRandom random = new SplittableRandom(20261206);
    for (int i = 0; i < 200_000; i++) {
      assertSame(O200kReference.randomText(random, TRICKY, 24));
    }
  }

  @Test
  void realTextSplitsAsTheExpression() throws IOException {
    for (String file : List.of("../README.md", "src/main/java/dev/sluice/admission/O200kSplitter.java",
        "src/main/resources/sluice-demo.yaml")) {
      Path path = Path.of(file);
      if (Files.exists(path)) {
        assertSame(Files.readString(path));
      } else {
        throw new AssertionError("corpus file missing: " + path.toAbsolutePath());
      }
    }
    assertSame("I'm sure they'll say it's John's DOG's 'S and THEY'RE WE'VE 1234567 ３２１ 𝐀𝐁𝐂𝐚𝐛");
    assertSame("Здравствуйте, мир! 你好，世界。 こんにちは世界 مرحبا بالعالم 🙂🙃 \r\n\r\n\t  end   ");
    assertSame("def f(x):\n    return x**2  # square\n\n\nclass A:\n\tpass\r\n");
  }

  private static void assertSame(String text) {
    List<String> expected = O200kReference.pieces(text);
    List<String> actual = O200kReference.splitterPieces(text);
    if (!actual.equals(expected)) {
      assertThat(actual).as("pieces of %s", O200kReference.describe(text)).isEqualTo(expected);
    }
  }
}
