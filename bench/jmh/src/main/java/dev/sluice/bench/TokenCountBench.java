package dev.sluice.bench;

import com.knuddels.jtokkit.api.Encoding;
import dev.sluice.admission.AdmissionBenchAccess;
import dev.sluice.admission.TokenEstimator;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counting a 16 kB prompt nobody sent before in o200k_base (a retrieval prompt's fresh documents):
 * jtokkit's {@code countTokensOrdinary}, whose pre-tokenizer is a regular expression (the baseline),
 * against Sluice's counter, which cuts the same pieces by hand and merges them with jtokkit's tables.
 * Same JVM, same text; the ratio of the two is the figure (bench/results/throughput.md). And the
 * fingerprint by which the memo recognises the text when it is sent again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenCountBench {
  /** english: prose with code and JSON; mixed: the same with Cyrillic, CJK and emoji paragraphs. */
  @Param({"english", "mixed"})
  public String text;

  private static final String PROSE = "The gateway keeps a ledger of every call it makes, so that a team can see where its "
      + "money went: the model, the key, the tokens in and out, and what the provider charged. It's the "
      + "operator's job to set budgets; the gateway's job is to enforce them before the call, not after.\n\n"
      + "```java\nfor (int i = 0; i < rows.size(); i++) {\n    total += rows.get(i).costMicros();\n}\n```\n\n"
      + "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Summarise the report.\"}]}\n\n";
  private static final String OTHER = "Шлюз ведёт учёт каждого вызова. 网关记录每一次调用的成本。"
      + "ゲートウェイはすべての呼び出しを記録します。 🙂 Ça coûte 3,50 € — naïve façade.\n\n";

  private Encoding o200k;
  private ToIntFunction<String> counter;
  private String prompt;

  @Setup
  public void setUp() {
    o200k = TokenEstimator.o200k();
    counter = AdmissionBenchAccess.o200kCounter();
    String unit = "english".equals(text) ? PROSE : PROSE + OTHER;
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 16 * 1024) {
      sb.append(unit);
    }
    prompt = sb.substring(0, 16 * 1024);
    if (counter.applyAsInt(prompt) != o200k.countTokensOrdinary(prompt)) {
      throw new IllegalStateException("the two counters disagree on the bench's text");
    }
  }

  @Benchmark
  public int jtokkitRegex() {
    return o200k.countTokensOrdinary(prompt);
  }

  @Benchmark
  public int handSplitter() {
    return counter.applyAsInt(prompt);
  }

  /** What recognising the same text again costs: its fingerprint in the memo (TokenCountMemo). */
  @Benchmark
  public Object fingerprint() {
    return AdmissionBenchAccess.fingerprint(prompt);
  }
}
