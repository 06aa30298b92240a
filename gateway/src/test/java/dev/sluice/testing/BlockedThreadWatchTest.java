package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The watch the end-to-end tests rely on catches a blocked event loop, and only a blocked one. */
class BlockedThreadWatchTest {

  @Test
  void anEventLoopThatSleepsIsCaughtOneThatComputesIsNot() throws Exception {
    Vertx vertx = Vertx.vertx(BlockedThreadWatch.options(100));
    try (BlockedThreadWatch watch = new BlockedThreadWatch()) {
      Await.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null)); // warm the context
      vertx.runOnContext(v -> spin(Duration.ofMillis(600)));
      waitForWarning(vertx, 600);
      assertThat(watch.warnings()).as("a busy loop is slow, not blocked").isEmpty();

      vertx.runOnContext(v -> {
        try {
          Thread.sleep(600);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (watch.warnings().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(watch.warnings()).isNotEmpty().first().asString().contains("has been blocked", "Thread.sleep");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void spin(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long x = 0;
    while (System.nanoTime() < end) {
      x += System.identityHashCode(d);
    }
    if (x == 42) {
      System.err.print("");
    }
  }

  /** Lets the checker run past the spin: waits until the loop is free again, plus a few check intervals. */
  private static void waitForWarning(Vertx vertx, long ms) throws Exception {
    Await.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null));
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> done.complete(null));
    done.get();
    Thread.sleep(300);
  }
}
