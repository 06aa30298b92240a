package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;

class HistogramMergeTest {

  @Test
  void addingEncodedHistogramsGivesWhatHdrHistogramsOwnDecoderGives() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    Histogram ours = new Histogram(2);
    Histogram theirs = new Histogram(2);
    for (int i = 0; i < 300; i++) {
      AbstractHistogram h = i % 2 == 0 ? new PackedHistogram(2) : new Histogram(2);
      int n = random.nextInt(0, 50);
      for (int j = 0; j < n; j++) {
        // zero, small exact values, and a heavy tail up to hours in microseconds
        long v = switch (j % 3) {
          case 0 -> random.nextLong(0, 300);
          case 1 -> (long) Math.exp(random.nextDouble(5, 16));
          default -> (long) Math.exp(random.nextDouble(16, 22));
        };
        h.recordValueWithCount(v, random.nextLong(1, 1_000_000));
      }
      byte[] bytes = plain(h);
      HistogramMerge.add(ours, bytes);
      theirs.add(Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0));
    }
    assertThat(ours).isEqualTo(theirs);
    assertThat(ours.getTotalCount()).isEqualTo(theirs.getTotalCount()).isPositive();
    assertThat(ours.getValueAtPercentile(99)).isEqualTo(theirs.getValueAtPercentile(99));
  }

  @Test
  void otherPrecisionsAndTheCompressedFormGoThroughAsWell() {
    Histogram fine = new Histogram(3);
    fine.recordValue(123_456);
    fine.recordValue(7);
    Histogram ours = new Histogram(2);
    HistogramMerge.add(ours, plain(fine));
    HistogramMerge.add(ours, compressed(fine));
    HistogramMerge.add(ours, new byte[0]);
    HistogramMerge.add(ours, null);
    Histogram theirs = new Histogram(2);
    theirs.add(fine);
    theirs.add(fine);
    assertThat(ours).isEqualTo(theirs);
  }

  private static byte[] plain(AbstractHistogram h) {
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    return Arrays.copyOf(b.array(), h.encodeIntoByteBuffer(b));
  }

  private static byte[] compressed(AbstractHistogram h) {
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    return Arrays.copyOf(b.array(), h.encodeIntoCompressedByteBuffer(b));
  }
}
