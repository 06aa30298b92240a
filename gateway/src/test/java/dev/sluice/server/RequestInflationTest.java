package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestInflationTest {
  private static final byte[] TEXT = "{\"model\":\"chat\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

  static byte[] gzip(byte[] data, int times) throws IOException {
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(member)) {
      out.write(data);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < times; i++) {
      all.write(member.toByteArray()); // gzip members may follow one another: each inflates in turn
    }
    return all.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean zlibWrapped) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, !zlibWrapped))) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void inflatesGzipAndBothFormsOfDeflate() throws Exception {
    assertThat(RequestInflation.inflate(gzip(TEXT, 1), "gzip", 1024).getBytes()).isEqualTo(TEXT);
    assertThat(RequestInflation.inflate(gzip(TEXT, 1), "x-gzip", 1024).getBytes()).isEqualTo(TEXT);
    assertThat(RequestInflation.inflate(deflate(TEXT, true), "deflate", 1024).getBytes()).isEqualTo(TEXT);
    assertThat(RequestInflation.inflate(deflate(TEXT, false), "deflate", 1024).getBytes()).isEqualTo(TEXT);
  }

  @Test
  void aBodyOfExactlyTheCapInflatesAndOneByteMoreDoesNot() throws Exception {
    byte[] data = new byte[4096];
    assertThat(RequestInflation.inflate(gzip(data, 1), "gzip", 4096).length()).isEqualTo(4096);
    assertThatThrownBy(() -> RequestInflation.inflate(gzip(data, 1), "gzip", 4095))
        .isInstanceOf(RequestInflation.TooLarge.class);
  }

  @Test
  void aZipBombStopsAtTheCapWithoutInflatingIntoMemory() throws Exception {
    byte[] bomb = gzip(new byte[16 << 20], 64); // about 1 MB that inflates to 1 GiB
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertThatThrownBy(() -> RequestInflation.inflate(bomb, "gzip", 1 << 20)).isInstanceOf(RequestInflation.TooLarge.class);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated while refusing a 1 GiB bomb with a 1 MiB cap").isLessThan(16L << 20);
  }

  @Test
  void bytesThatAreNotGzipAreAnError() {
    assertThatThrownBy(() -> RequestInflation.inflate(TEXT, "gzip", 1024)).isInstanceOf(IOException.class)
        .isNotInstanceOf(RequestInflation.TooLarge.class);
  }
}
