package dev.sluice.admission;

/**
 * o200k_base's pre-tokenizer, written out by hand: it cuts a text into the same pieces as the regular
 * expression jtokkit 1.1.0 compiles for o200k_base (with {@code UNICODE_CHARACTER_CLASS}),
 *
 * <pre>
 *   1  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 *   2 |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 *   3 |\p{N}{1,3}
 *   4 | ?[^\s\p{L}\p{N}]+[\r\n/]*
 *   5 |\s*[\r\n]+
 *   6 |\s+(?!\S)
 *   7 |\s+
 * </pre>
 *
 * <p>Why: that expression is where ~60 % of the time of counting a fresh prompt went
 * ({@code java.util.regex} backtracking through seven alternatives at every piece; jtokkit has a hand
 * parser like this one for cl100k_base only). Each method below is one alternative as
 * {@code java.util.regex} runs it: alternatives in order, the first that matches wins, greedy
 * quantifiers giving back one code point at a time, the optional leading character tried first with
 * it and then without. Character classes are the ones {@code Pattern} uses: general categories from
 * {@link Character#getType(int)}, {@code \s} as Java's {@code White_Space}, and the contractions
 * case-insensitive the Unicode way ({@code ſ} is an {@code s}). Code points, not chars: a lone
 * surrogate is a piece of its own kind (category Cs), as in the expression.
 *
 * <p>Every piece is at least one code point long, and some alternative matches any code point, so
 * {@link #end} always moves forward. Pure and stateless; {@code O200kSplitterTest} holds it to the
 * expression on every code point and on random and real text.
 */
final class O200kSplitter {
  // Flags of the ASCII code points (the rest are looked up by category).
  private static final byte UPPER = 1; // in class A = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  private static final byte LOWER = 2; // in class B = [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  private static final byte DIGIT = 4; // \p{N}
  private static final byte SPACE = 8; // \s
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      byte f = 0;
      if (c >= 'A' && c <= 'Z') {
        f |= UPPER;
      }
      if (c >= 'a' && c <= 'z') {
        f |= LOWER;
      }
      if (c >= '0' && c <= '9') {
        f |= DIGIT;
      }
      if (c == ' ' || (c >= 0x9 && c <= 0xd)) {
        f |= SPACE;
      }
      ASCII[c] = f;
    }
  }

  private O200kSplitter() {}

  /** Where the piece that starts at char index {@code p} ({@code 0 <= p < text.length()}) ends (exclusive). */
  static int end(String text, int p) {
    int c = text.codePointAt(p);
    int next = p + Character.charCount(c);
    boolean prefix = isPrefix(c);
    int e;
    if (prefix && (e = lettersEndingLower(text, next)) >= 0) {
      return e;
    }
    if ((e = lettersEndingLower(text, p)) >= 0) {
      return e;
    }
    if (prefix && (e = lettersStartingUpper(text, next)) >= 0) {
      return e;
    }
    if ((e = lettersStartingUpper(text, p)) >= 0) {
      return e;
    }
    if (isNumber(c)) {
      return digits(text, next);
    }
    if ((e = punctuation(text, p, c, next)) >= 0) {
      return e;
    }
    if (isSpace(c)) {
      return whitespace(text, p);
    }
    return next; // unreachable: every code point is a letter, a number, \s or punctuation
  }

  /** Alternative 1 from {@code s}: {@code A*B+} then a contraction; -1 if it does not match there. */
  private static int lettersEndingLower(String text, int s) {
    int n = text.length();
    int i = s;
    int lastBoth = -1; // the last code point of the A run that is in B too (Lm, Lo, M)
    while (i < n) {
      int c = text.codePointAt(i);
      if (!inA(c)) {
        break;
      }
      if (inB(c)) {
        lastBoth = i;
      }
      i += Character.charCount(c);
    }
    int start; // where B+ starts: after the whole A run if it can, else A* gives back to the last B
    if (i < n && inB(text.codePointAt(i))) {
      start = i;
    } else if (lastBoth >= 0) {
      start = lastBoth;
    } else {
      return -1;
    }
    return contraction(text, runOfB(text, start));
  }

  /** Alternative 2 from {@code s}: {@code A+B*} then a contraction; -1 if it does not match there. */
  private static int lettersStartingUpper(String text, int s) {
    int n = text.length();
    if (s >= n || !inA(text.codePointAt(s))) {
      return -1;
    }
    int i = s;
    while (i < n) {
      int c = text.codePointAt(i);
      if (!inA(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    return contraction(text, runOfB(text, i));
  }

  private static int runOfB(String text, int i) {
    int n = text.length();
    while (i < n) {
      int c = text.codePointAt(i);
      if (!inB(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    return i;
  }

  /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)?} at {@code i}: where it ends ({@code i} if absent). */
  private static int contraction(String text, int i) {
    int n = text.length();
    if (i >= n || fold(text.codePointAt(i)) != '\'') {
      return i;
    }
    int j = i + 1; // the apostrophe is one char
    if (j >= n) {
      return i;
    }
    int c1 = text.codePointAt(j);
    int f1 = fold(c1);
    int k = j + Character.charCount(c1);
    if (f1 == 's' || f1 == 't' || f1 == 'm' || f1 == 'd') {
      return k;
    }
    if ((f1 == 'r' || f1 == 'v' || f1 == 'l') && k < n) {
      int c2 = text.codePointAt(k);
      int f2 = fold(c2);
      if (f2 == (f1 == 'l' ? 'l' : 'e')) {
        return k + Character.charCount(c2);
      }
    }
    return i;
  }

  /** Alternative 3: {@code \p{N}{1,3}}, the first number already taken. */
  private static int digits(String text, int i) {
    int n = text.length();
    for (int taken = 1; taken < 3 && i < n; taken++) {
      int c = text.codePointAt(i);
      if (!isNumber(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    return i;
  }

  /** Alternative 4: {@code ' ?[^\s\p{L}\p{N}]+[\r\n/]*'}; -1 if it does not match at {@code p}. */
  private static int punctuation(String text, int p, int c, int next) {
    int n = text.length();
    int i;
    if (c == ' ' && next < n && isSymbol(text.codePointAt(next))) {
      i = next;
    } else if (isSymbol(c)) {
      i = p;
    } else {
      return -1;
    }
    while (i < n) {
      int d = text.codePointAt(i);
      if (!isSymbol(d)) {
        break;
      }
      i += Character.charCount(d);
    }
    while (i < n) {
      char d = text.charAt(i);
      if (d != '\r' && d != '\n' && d != '/') {
        break;
      }
      i++;
    }
    return i;
  }

  /** Alternatives 5-7 at a whitespace code point {@code p}. */
  private static int whitespace(String text, int p) {
    int n = text.length();
    int i = p;
    int afterLastNewline = -1;
    int lastStart = p; // where the run's last code point starts
    while (i < n) {
      int c = text.codePointAt(i);
      if (!isSpace(c)) {
        break;
      }
      lastStart = i;
      i += Character.charCount(c);
      if (c == '\r' || c == '\n') {
        afterLastNewline = i;
      }
    }
    if (afterLastNewline >= 0) {
      return afterLastNewline; // 5: \s* gives back to the run's last line break, [\r\n]+ takes it
    }
    if (i >= n || lastStart == p) {
      return i; // 6 at the end of the text, or 7: a single whitespace before a non-whitespace
    }
    return lastStart; // 6: \s+ gives back one so that (?!\S) holds
  }

  /** {@code [^\r\n\p{L}\p{N}]}: the optional first code point of alternatives 1 and 2. */
  private static boolean isPrefix(int c) {
    return c != '\r' && c != '\n' && !isLetter(c) && !isNumber(c);
  }

  /** {@code [^\s\p{L}\p{N}]}. */
  private static boolean isSymbol(int c) {
    return !isSpace(c) && !isLetter(c) && !isNumber(c);
  }

  private static boolean inA(int c) {
    if (c < 128) {
      return (ASCII[c] & UPPER) != 0;
    }
    int t = Character.getType(c);
    return t == Character.UPPERCASE_LETTER || t == Character.TITLECASE_LETTER || t == Character.MODIFIER_LETTER
        || t == Character.OTHER_LETTER || isMark(t);
  }

  private static boolean inB(int c) {
    if (c < 128) {
      return (ASCII[c] & LOWER) != 0;
    }
    int t = Character.getType(c);
    return t == Character.LOWERCASE_LETTER || t == Character.MODIFIER_LETTER || t == Character.OTHER_LETTER
        || isMark(t);
  }

  private static boolean isMark(int type) {
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  /** {@code \p{L}}. */
  private static boolean isLetter(int c) {
    if (c < 128) {
      return (ASCII[c] & (UPPER | LOWER)) != 0;
    }
    int t = Character.getType(c);
    return t == Character.UPPERCASE_LETTER || t == Character.LOWERCASE_LETTER || t == Character.TITLECASE_LETTER
        || t == Character.MODIFIER_LETTER || t == Character.OTHER_LETTER;
  }

  /** {@code \p{N}}. */
  private static boolean isNumber(int c) {
    if (c < 128) {
      return (ASCII[c] & DIGIT) != 0;
    }
    int t = Character.getType(c);
    return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }

  /** {@code \s} under {@code UNICODE_CHARACTER_CLASS}: Java's White_Space. */
  private static boolean isSpace(int c) {
    if (c < 128) {
      return (ASCII[c] & SPACE) != 0;
    }
    if (c == 0x85) {
      return true;
    }
    int t = Character.getType(c);
    return t == Character.SPACE_SEPARATOR || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
  }

  /** How a case-insensitive Unicode match compares a code point. */
  private static int fold(int c) {
    return c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : Character.toLowerCase(Character.toUpperCase(c));
  }
}
