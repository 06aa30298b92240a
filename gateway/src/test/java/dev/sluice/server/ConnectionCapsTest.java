package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionCapsTest {
  @Test
  void theCapPerAddressHoldsUnderConcurrentAdmission() throws Exception {
    ConnectionCaps caps = new ConnectionCaps(10_000, 100);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        go.await();
        for (int i = 0; i < 1000; i++) {
          if (caps.admit("10.0.0.1") == ConnectionCaps.Verdict.ADMITTED) {
            admitted.incrementAndGet();
          }
        }
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(admitted.get()).isEqualTo(100);
    assertThat(caps.open()).isEqualTo(100);
    assertThat(caps.admit("10.0.0.2")).as("another address has its own count").isEqualTo(ConnectionCaps.Verdict.ADMITTED);
  }

  @Test
  void theGatewayCapCountsEveryAddressAndReleasingMakesRoom() {
    ConnectionCaps caps = new ConnectionCaps(3, 2);
    assertThat(caps.admit("a")).isEqualTo(ConnectionCaps.Verdict.ADMITTED);
    assertThat(caps.admit("a")).isEqualTo(ConnectionCaps.Verdict.ADMITTED);
    assertThat(caps.admit("a")).isEqualTo(ConnectionCaps.Verdict.ADDRESS_FULL);
    assertThat(caps.admit("b")).isEqualTo(ConnectionCaps.Verdict.ADMITTED);
    assertThat(caps.admit("c")).isEqualTo(ConnectionCaps.Verdict.GATEWAY_FULL);
    assertThat(caps.open()).as("refused connections are not counted").isEqualTo(3);
    caps.release("a");
    assertThat(caps.admit("c")).isEqualTo(ConnectionCaps.Verdict.ADMITTED);
    caps.release("b");
    assertThat(caps.open("b")).isZero();
    assertThat(caps.open()).isEqualTo(2);
  }
}
