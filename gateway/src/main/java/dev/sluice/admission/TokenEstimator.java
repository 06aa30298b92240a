package dev.sluice.admission;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Estimates a request's tokens before it is sent, for the tpm reservation (settled later with the
 * provider's real usage, so the estimate needs to be close, not exact).
 *
 * <ul>
 *   <li>OpenAI models of the gpt-4o generation and later (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3,
 *       o4, gpt-oss…): the real o200k_base encoding; older gpt-4 and gpt-3.5: cl100k_base.
 *   <li>Other families, whose tokenizers we do not have, by characters: ASCII characters divided by
 *       the family's characters per token, plus one token per non-ASCII code point (CJK and similar
 *       scripts run near one token per character; counting them like English would under-reserve
 *       four-fold). Calibration: Anthropic documents about 3.5 English characters per Claude
 *       token, Google about 4 per Gemini token; OpenAI's rule of thumb of 4 is the default. On the
 *       English text of our own design notes (prose and code) o200k_base and cl100k_base both give
 *       about 4.4 characters per token, so these ratios err towards reserving more, which settling
 *       gives back.
 * </ul>
 *
 * <p>Plus {@value #PER_MESSAGE} tokens per message (role and separators), {@value #REPLY_PRIMING}
 * for the reply's priming, and a flat cost per image: 765 for OpenAI (a 1024×1024 image in high
 * detail: 85 + 4 × 170), 1,600 for Claude (about a 1092×1092 image at w·h/750), 1,032 for Gemini
 * (four 258-token tiles), 1,000 otherwise.
 *
 * <p>Threading: thread-safe and stateless apart from the encodings, which are built once per JVM.
 * Building one takes hundreds of milliseconds and holds 10-20 MB of heap, so only the ones needed
 * are built: {@link #warmUpFor} at start-up (off the event loop) for the configured model names;
 * any other family met later is built on a background thread, and until it is ready its texts are
 * estimated by characters (an event loop never waits for a table). Counting is linear in the text
 * (o200k_base with {@link O200kCounter}, which cuts pieces without jtokkit's regular expression;
 * cl100k_base with jtokkit's own hand parser); a single text longer than
 * {@value #EXACT_LIMIT_CHARS} characters is estimated by characters instead, a long text counted
 * lately is not counted again ({@link TokenCountMemo}: the system prompt and the earlier turns that
 * every call sends again), and an estimate that would still tokenize {@value #SLOW_CHARS} characters
 * or more is slow ({@link #estimate}): the request path counts it on a worker thread, so that one
 * long fresh prompt does not hold the other requests of its event loop.
 */
public final class TokenEstimator {
  static final int PER_MESSAGE = 3;
  static final int REPLY_PRIMING = 3;
  static final int EXACT_LIMIT_CHARS = 32 * 1024;
  /**
   * From this many characters to tokenize (texts not counted lately), an estimate is slow ({@link
   * #estimate}): 45-120 µs of counting with {@link O200kCounter} (12-30 ns a character here,
   * English to mixed scripts; cl100k_base alike), where handing it to a worker thread and back costs a
   * few tens of µs.
   */
  static final int SLOW_CHARS = 4 * 1024;
  /**
   * Counts of the long texts met lately (system prompts, earlier turns of conversations), shared like
   * the encodings: up to 20,000 texts, ~2 MB.
   */
  static final TokenCountMemo COUNTED = new TokenCountMemo(20_000);

  /** A model family: how its tokens are counted and what an image costs. */
  enum Family {
    O200K(4.0, 765),
    CL100K(4.0, 765),
    CLAUDE(3.5, 1_600),
    GEMINI(4.0, 1_032),
    OTHER(4.0, 1_000);

    final double charsPerToken;
    final int perImage;

    Family(double charsPerToken, int perImage) {
      this.charsPerToken = charsPerToken;
      this.perImage = perImage;
    }
  }

  /** Holder idiom: each encoding is built by its class initialiser, once, on first use. */
  private static final class O200k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    /** The same counts without jtokkit's regular expression; null only if jtokkit's internals changed. */
    static final O200kCounter FAST = O200kCounter.of(ENCODING);
    static final ToIntFunction<String> COUNT = FAST != null ? FAST::count : ENCODING::countTokensOrdinary;
  }

  private static final class Cl100k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /**
   * The o200k_base encoding (built once per process, on first use): the one table every token
   * count in the gateway shares, since each costs tens of megabytes.
   */
  public static Encoding o200k() {
    build(Family.O200K);
    return O200k.ENCODING;
  }

  /**
   * {@code text}'s tokens in o200k_base, exact at any length (Anthropic's {@code count_tokens}, which
   * coding agents call with their whole conversation again and again): a long text counted lately
   * is not counted again. Builds the encoding on first use (blocking).
   */
  public static int countO200k(String text) {
    build(Family.O200K);
    return COUNTED.count(Family.O200K.ordinal(), text, O200k.COUNT);
  }

  private static volatile boolean o200kReady;
  private static volatile boolean cl100kReady;
  private static final AtomicBoolean O200K_STARTED = new AtomicBoolean();
  private static final AtomicBoolean CL100K_STARTED = new AtomicBoolean();

  /** Builds both encodings now. Blocking (hundreds of ms): never on an event loop. Idempotent. */
  public void warmUp() {
    build(Family.O200K);
    build(Family.CL100K);
  }

  /**
   * Builds the encodings that requests naming these models will use (model entry names, the
   * names clients send). Blocking: never on an event loop. Idempotent.
   */
  public void warmUpFor(Collection<String> modelNames) {
    for (String name : modelNames) {
      build(family(name));
    }
  }

  /** Whether texts of this family are counted with its real encoding now (else by characters). */
  static boolean ready(Family family) {
    return family == Family.O200K ? o200kReady : family == Family.CL100K && cl100kReady;
  }

  /** Builds a family's encoding (blocking, once per JVM); families without one need nothing. */
  private static void build(Family family) {
    if (family == Family.O200K) {
      O200k.ENCODING.getName();
      o200kReady = true;
    } else if (family == Family.CL100K) {
      Cl100k.ENCODING.getName();
      cl100kReady = true;
    }
  }

  /** The family's encoding, or null for the families estimated by characters. */
  private static Encoding encoding(Family family) {
    return family == Family.O200K ? O200k.ENCODING : family == Family.CL100K ? Cl100k.ENCODING : null;
  }

  /** Starts building a family's encoding on a background thread, once. */
  private static void buildInBackground(Family family) {
    AtomicBoolean started = family == Family.O200K ? O200K_STARTED : CL100K_STARTED;
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(() -> build(family), "sluice-tokenizer-build");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Input tokens of a request to a model of the hinted family ({@code gpt-4o-mini},
   * {@code openai/gpt-4.1}, {@code claude-sonnet-4}…; null or unknown counts as "other").
   */
  public long estimateInput(String modelFamilyHint, List<String> texts, int images, int messages) {
    Family family = family(modelFamilyHint);
    long tokens = 0;
    if (texts != null) {
      for (String text : texts) {
        tokens += count(family, text);
      }
    }
    return withOverheads(family, tokens, images, messages);
  }

  /**
   * The prompt's estimate, made now unless making it would tokenize {@value #SLOW_CHARS} characters or
   * more of texts not counted lately (with a real encoding, each text within {@value
   * #EXACT_LIMIT_CHARS} characters): a retrieval prompt with fresh documents, a long conversation's
   * first call. Such an estimate is worth making off the event loop ({@link PromptEstimate#finish});
   * any other costs less than the hand-off. Each text is fingerprinted at most once per estimate: what
   * this call learnt (remembered counts, the fingerprints it made) is handed to {@code finish}, and
   * nothing is tokenized before the estimate is known not to be slow.
   */
  public PromptEstimate estimate(String modelFamilyHint, List<String> texts, int images, int messages) {
    Family family = family(modelFamilyHint);
    if (texts == null || encoding(family) == null || !ready(family)) {
      return PromptEstimate.made(estimateInput(modelFamilyHint, texts, images, messages)); // nothing to tokenize
    }
    long tokens = 0;
    long fresh = 0;
    TokenCountMemo.Key[] keys = new TokenCountMemo.Key[texts.size()];
    boolean[] toCount = new boolean[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null || text.isEmpty()) {
        continue;
      }
      boolean exact = text.length() <= EXACT_LIMIT_CHARS;
      keys[i] = exact ? TokenCountMemo.key(family.ordinal(), text) : null;
      Integer known = COUNTED.recall(keys[i]);
      if (known != null) {
        tokens += known;
        continue;
      }
      toCount[i] = true;
      if (exact) {
        fresh += text.length();
        if (fresh >= SLOW_CHARS) {
          return new PromptEstimate(family, texts, keys, toCount, i + 1, tokens, images, messages);
        }
      }
    }
    PromptEstimate rest = new PromptEstimate(family, texts, keys, toCount, texts.size(), tokens, images, messages);
    return PromptEstimate.made(rest.finish());
  }

  /** The texts' tokens plus what the images, the messages' separators and the reply's priming add. */
  static long withOverheads(Family family, long tokens, int images, int messages) {
    tokens += (long) Math.max(0, images) * family.perImage;
    tokens += (long) Math.max(0, messages) * PER_MESSAGE;
    return messages > 0 ? tokens + REPLY_PRIMING : tokens;
  }

  /** The output tokens to reserve: the request's max tokens when given, else the model's default. */
  public long reserveOutput(Integer maxTokens, int modelDefault) {
    if (maxTokens != null && maxTokens > 0) {
      return maxTokens;
    }
    return Math.max(0, modelDefault);
  }

  static long count(Family family, String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    if (text.length() <= EXACT_LIMIT_CHARS && encoding(family) != null) {
      if (ready(family)) {
        return COUNTED.count(family.ordinal(), text, counter(family));
      }
      buildInBackground(family);
    }
    return byCharacters(text, family.charsPerToken);
  }

  /**
   * How a family with a real encoding counts a text. "Ordinary": a text that spells a special token
   * such as {@code <|endoftext|>} is counted, not refused.
   */
  static ToIntFunction<String> counter(Family family) {
    return family == Family.O200K ? O200k.COUNT : encoding(family)::countTokensOrdinary;
  }

  static long byCharacters(String text, double charsPerToken) {
    long ascii = 0;
    long other = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (cp < 0x80) {
        ascii++;
      } else {
        other++;
      }
      i += Character.charCount(cp);
    }
    return (long) Math.ceil(ascii / charsPerToken) + other;
  }

  static Family family(String hint) {
    if (hint == null) {
      return Family.OTHER;
    }
    String m = hint.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1); // openai/gpt-4o, azure/..., a gateway alias prefix
    }
    if (m.startsWith("ft:")) {
      m = m.substring(3); // fine-tuned: ft:gpt-4o-mini:org::id
    }
    if (m.contains("claude")) {
      return Family.CLAUDE;
    }
    if (m.contains("gemini") || m.contains("gemma")) {
      return Family.GEMINI;
    }
    if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || m.startsWith("gpt-oss") || isOSeries(m)) {
      return Family.O200K;
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35") || m.startsWith("text-embedding-")) {
      return Family.CL100K;
    }
    return Family.OTHER;
  }

  /** o1, o3-mini, o4-mini-2025-04-16…: an "o", a digit, then nothing or a separator. */
  private static boolean isOSeries(String m) {
    return m.length() >= 2 && m.charAt(0) == 'o' && Character.isDigit(m.charAt(1))
        && (m.length() == 2 || m.charAt(2) == '-' || m.charAt(2) == '.');
  }
}
