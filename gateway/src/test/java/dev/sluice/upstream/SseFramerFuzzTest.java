package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.testing.FuzzInputTimeout;
import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link SseFramer} with arbitrary bytes: it never throws, a split of the bytes into any
 * slices (one byte at a time, or at points derived from the input) gives exactly the events of the
 * whole, and those are the events of {@link ReferenceSseFramer}, the plain byte-at-a-time oracle.
 * Seeds: {@code src/test/resources/dev/sluice/upstream/SseFramerFuzzTestInputs/}.
 */
public final class SseFramerFuzzTest {

  @FuzzTest
  void anySplitGivesTheEventsOfTheWhole(byte[] input) {
    oneInput(input);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] input) {
    FuzzInputTimeout.run("SseFramer", input, () -> {
      List<String> whole = frame(Splits.whole(input));
      assertThat(reference(input)).as("the reference framer's events").isEqualTo(whole);
      assertThat(frame(Splits.singleBytes(input))).as("one byte at a time").isEqualTo(whole);
      assertThat(frame(Splits.random(input, Arrays.hashCode(input)))).as("random slices").isEqualTo(whole);
    });
  }

  private static List<String> frame(List<Buffer> slices) {
    SseFramer framer = new SseFramer();
    List<String> out = new ArrayList<>();
    for (Buffer b : slices) {
      framer.feed(b, e -> out.add(describe(e)));
    }
    framer.end(e -> out.add(describe(e)));
    return out;
  }

  private static List<String> reference(byte[] input) {
    ReferenceSseFramer framer = new ReferenceSseFramer();
    List<String> out = new ArrayList<>();
    framer.feed(Buffer.buffer(input), e -> out.add(describe(e)));
    framer.end(e -> out.add(describe(e)));
    return out;
  }

  /** The event name and its data bytes (not decoded: a split inside a UTF-8 sequence must not matter). */
  private static String describe(SseEvent e) {
    return e.event() + "|" + Arrays.toString(e.data());
  }
}
