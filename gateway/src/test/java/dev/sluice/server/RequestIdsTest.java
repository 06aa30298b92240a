package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void aSaneClientIdIsKept() {
    assertThat(RequestIds.accept("trace-42_ABC.x:y/z")).isEqualTo("trace-42_ABC.x:y/z");
    assertThat(RequestIds.accept("x".repeat(128))).hasSize(128);
  }

  @Test
  void anythingElseGetsAFreshId() {
    for (String bad : new String[] {null, "", "has space", "tab\there", "crlf\r\nset-cookie: a=b", "caf\u00e9",
        "nul\u0000", "del\u007f", "x".repeat(129)}) {
      assertThat(RequestIds.accept(bad)).as(String.valueOf(bad)).matches("req_[0-9a-f]{32}");
    }
  }

  @Test
  void freshIdsStartWithTheirMillisecondSoLaterIdsSortLater() {
    long before = System.currentTimeMillis();
    String first = RequestIds.generate();
    long after = System.currentTimeMillis();
    assertThat(Long.parseLong(first.substring(4, 16), 16)).isBetween(before, after);
    while (System.currentTimeMillis() <= after) {
      Thread.onSpinWait(); // the next millisecond
    }
    assertThat(RequestIds.generate()).isGreaterThan(first);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIds.generate());
    }
    assertThat(ids).hasSize(10_000); // 80 random bits within a millisecond
  }
}
