package dev.sluice.mock;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable description of the faults to inject into one mock response.
 *
 * <p>The textual form is a comma-separated list of {@code name=value} items or bare flags, for
 * example {@code latency=200ms,jitter=50ms,cut_after=3} or {@code status=429,retry_after=2}. The
 * empty (or blank) spec means "no faults". Recognised items:
 *
 * <ul>
 *   <li>{@code latency=<duration>} delay before the response headers;
 *   <li>{@code jitter=<duration>} uniform random extra delay in {@code [0, jitter]};
 *   <li>{@code slow_rate=<0..1>} with {@code slow=<duration>}: that share of requests is delayed
 *       by {@code slow} more (a heavy latency tail, the shape hedging cuts);
 *   <li>{@code chunk_delay=<duration>} delay between streamed events;
 *   <li>{@code error_rate=<0..1>} probability of failing with {@code status} (default 500);
 *   <li>{@code status=<400..599>} fail with this status (always, unless {@code error_rate} is
 *       given);
 *   <li>{@code retry_after=<seconds>} value of the {@code Retry-After} header on 429/503
 *       (default 1);
 *   <li>{@code hang} accept the request and never answer;
 *   <li>{@code reset} close the connection without any response;
 *   <li>{@code cut_after=<n>} stop a stream abruptly after n events (non-streaming: after half
 *       the body);
 *   <li>{@code words=<n>} append n filler words to the answer.
 * </ul>
 *
 * <p>Durations are parsed by {@link #parseDuration(String)}. Parsing is strict: unknown names,
 * duplicates, missing or out-of-range values are rejected with an {@link IllegalArgumentException}
 * whose message names the offending item, because a silently ignored typo would make a fault test
 * pass for the wrong reason.
 */
public final class FaultSpec {

  /** The spec that injects nothing. */
  public static final FaultSpec NONE = new FaultSpec(new Builder());

  /** Upper bound for {@code words}: keeps a typo from building a gigabyte answer in memory. */
  static final int MAX_WORDS = 100_000;

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");
  private static final Set<String> NAMES =
      Set.of("latency", "jitter", "slow_rate", "slow", "chunk_delay", "error_rate", "status", "retry_after",
          "hang", "reset", "cut_after", "words");

  private final Duration latency;
  private final Duration jitter;
  private final double slowRate;
  private final Duration slow;
  private final Duration chunkDelay;
  private final Double errorRate;
  private final Integer status;
  private final int retryAfterSeconds;
  private final boolean hang;
  private final boolean reset;
  private final Integer cutAfter;
  private final int words;

  private FaultSpec(Builder b) {
    this.latency = b.latency;
    this.jitter = b.jitter;
    this.slowRate = b.slowRate;
    this.slow = b.slow;
    this.chunkDelay = b.chunkDelay;
    this.errorRate = b.errorRate;
    this.status = b.status;
    this.retryAfterSeconds = b.retryAfterSeconds;
    this.hang = b.hang;
    this.reset = b.reset;
    this.cutAfter = b.cutAfter;
    this.words = b.words;
  }

  /**
   * Parses a fault spec.
   *
   * @param spec the textual spec; {@code null} or blank yields {@link #NONE}
   * @return the parsed spec
   * @throws IllegalArgumentException if any item is unknown, duplicated or has a bad value
   */
  public static FaultSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Builder b = new Builder();
    Set<String> seen = new LinkedHashSet<>();
    for (String rawItem : spec.split(",")) {
      String item = rawItem.trim();
      if (item.isEmpty()) {
        continue; // tolerate "a,,b" and trailing commas: harmless and common in hand-written specs
      }
      int eq = item.indexOf('=');
      String name = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : item.substring(eq + 1).trim();
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown fault '" + item + "' in spec '" + spec
            + "'; known: " + String.join(", ", new TreeSet<>(NAMES)));
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate fault '" + name + "' in spec '" + spec + "'");
      }
      try {
        b.apply(name, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad fault '" + item + "': " + e.getMessage(), e);
      }
    }
    if (b.hang && b.reset) {
      throw new IllegalArgumentException("faults 'hang' and 'reset' are mutually exclusive");
    }
    return new FaultSpec(b);
  }

  /**
   * Parses a duration: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or a plain number of
   * milliseconds.
   *
   * @throws IllegalArgumentException if the text is not a non-negative duration
   */
  public static Duration parseDuration(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing duration");
    }
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration '" + text + "' (expected e.g. 250ms, 2s, 1m or plain milliseconds)");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    double millis = switch (unit) {
      case "s" -> amount * 1_000;
      case "m" -> amount * 60_000;
      default -> amount;
    };
    // Whole milliseconds: Vert.x timers have millisecond resolution, and it keeps toString() exact.
    return Duration.ofMillis(Math.round(millis));
  }

  /** Fixed delay before the response headers. */
  public Duration latency() {
    return latency;
  }

  /** Upper bound of the uniform random extra delay added to {@link #latency()}. */
  public Duration jitter() {
    return jitter;
  }

  /** Share of requests delayed by {@link #slow()} on top of the latency (0 = none). */
  public double slowRate() {
    return slowRate;
  }

  public Duration slow() {
    return slow;
  }

  /** Delay between streamed events. */
  public Duration chunkDelay() {
    return chunkDelay;
  }

  /** Failure probability, if {@code error_rate} was given. */
  public OptionalDouble errorRate() {
    return errorRate == null ? OptionalDouble.empty() : OptionalDouble.of(errorRate);
  }

  /** The explicit {@code status}, if given. */
  public OptionalInt status() {
    return status == null ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** The status an injected failure uses: {@code status} if given, else 500. */
  public int errorStatus() {
    return status == null ? 500 : status;
  }

  /** Whether failures can happen at all: an explicit status or a positive error rate. */
  public boolean mayFail() {
    return errorRate != null ? errorRate > 0 : status != null;
  }

  /** Seconds sent in {@code Retry-After} on 429 and 503 responses. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Whether the request is accepted and never answered. */
  public boolean hang() {
    return hang;
  }

  /** Whether the connection is closed without any response. */
  public boolean reset() {
    return reset;
  }

  /** Number of events after which a stream is cut, if given. */
  public OptionalInt cutAfter() {
    return cutAfter == null ? OptionalInt.empty() : OptionalInt.of(cutAfter);
  }

  /** Number of filler words appended to the answer. */
  public int words() {
    return words;
  }

  /** Whether this spec injects nothing at all. */
  public boolean isNone() {
    return equals(NONE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultSpec other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** The canonical textual form; {@code parse(spec.toString())} equals {@code spec}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendIf(sb, !latency.isZero(), "latency=" + latency.toMillis() + "ms");
    appendIf(sb, !jitter.isZero(), "jitter=" + jitter.toMillis() + "ms");
    appendIf(sb, slowRate != 0, "slow_rate=" + slowRate);
    appendIf(sb, !slow.isZero(), "slow=" + slow.toMillis() + "ms");
    appendIf(sb, !chunkDelay.isZero(), "chunk_delay=" + chunkDelay.toMillis() + "ms");
    appendIf(sb, errorRate != null, "error_rate=" + errorRate);
    appendIf(sb, status != null, "status=" + status);
    appendIf(sb, retryAfterSeconds != 1, "retry_after=" + retryAfterSeconds);
    appendIf(sb, hang, "hang");
    appendIf(sb, reset, "reset");
    appendIf(sb, cutAfter != null, "cut_after=" + cutAfter);
    appendIf(sb, words != 0, "words=" + words);
    return sb.toString();
  }

  private static void appendIf(StringBuilder sb, boolean condition, String item) {
    if (condition) {
      sb.append(sb.length() == 0 ? "" : ",").append(item);
    }
  }

  /** Mutable accumulator used only while parsing. */
  private static final class Builder {
    private Duration latency = Duration.ZERO;
    private Duration jitter = Duration.ZERO;
    private double slowRate;
    private Duration slow = Duration.ZERO;
    private Duration chunkDelay = Duration.ZERO;
    private Double errorRate;
    private Integer status;
    private int retryAfterSeconds = 1;
    private boolean hang;
    private boolean reset;
    private Integer cutAfter;
    private int words;

    void apply(String name, String value) {
      switch (name) {
        case "latency" -> latency = parseDuration(required(value));
        case "jitter" -> jitter = parseDuration(required(value));
        case "slow_rate" -> slowRate = rate(required(value));
        case "slow" -> slow = parseDuration(required(value));
        case "chunk_delay" -> chunkDelay = parseDuration(required(value));
        case "error_rate" -> errorRate = rate(required(value));
        case "status" -> status = intIn(required(value), 400, 599);
        case "retry_after" -> retryAfterSeconds = intIn(required(value), 0, 86_400);
        case "hang" -> hang = flag(value);
        case "reset" -> reset = flag(value);
        case "cut_after" -> cutAfter = intIn(required(value), 0, Integer.MAX_VALUE);
        case "words" -> words = intIn(required(value), 0, MAX_WORDS);
        default -> throw new IllegalStateException("unhandled fault name " + name);
      }
    }

    private static String required(String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("a value is required");
      }
      return value;
    }

    private static boolean flag(String value) {
      if (value == null || value.equalsIgnoreCase("true")) {
        return true;
      }
      if (value.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("expected a bare flag, true or false");
    }

    private static double rate(String value) {
      double rate;
      try {
        rate = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
      if (!(rate >= 0 && rate <= 1)) { // also rejects NaN
        throw new IllegalArgumentException("must be between 0 and 1");
      }
      return rate;
    }

    private static int intIn(String value, int min, int max) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an integer");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return n;
    }
  }
}
