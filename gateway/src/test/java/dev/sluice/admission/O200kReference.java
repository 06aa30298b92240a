package dev.sluice.admission;

import com.knuddels.jtokkit.api.Encoding;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle for {@link O200kSplitter}: the regular expression jtokkit itself compiled for
 * o200k_base, taken from the encoding (not a copy of it), and the pieces it cuts.
 */
final class O200kReference {
  static final Pattern PATTERN = pattern(TokenEstimator.o200k());

  private O200kReference() {}

  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PATTERN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static List<String> splitterPieces(String text) {
    List<String> out = new ArrayList<>();
    for (int p = 0; p < text.length(); ) {
      int e = O200kSplitter.end(text, p);
      if (e <= p) {
        throw new AssertionError("no progress at " + p + " in " + describe(text));
      }
      out.add(text.substring(p, e));
      p = e;
    }
    return out;
  }

  /** A text of 1 to {@code maxLength} code points drawn from {@code alphabet}. */
  static String randomText(SplittableRandom random, int[] alphabet, int maxLength) {
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(maxLength);
    for (int j = 0; j < length; j++) {
      sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  /** The text's code points, for a failure message that shows what the text really holds. */
  static String describe(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints().forEach(c -> sb.append(String.format("U+%04X ", c)));
    return sb.toString().trim();
  }

  private static Pattern pattern(Encoding encoding) {
    try {
      Field f = encoding.getClass().getDeclaredField("pattern");
      f.setAccessible(true);
      return (Pattern) f.get(encoding);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jtokkit's o200k_base has no pattern field: the oracle needs updating", e);
    }
  }
}
