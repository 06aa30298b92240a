package dev.sluice.admission;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Waits on a Vert.x future from a test thread (never an event loop). */
final class Await {
  private Await() {}

  static <T> T result(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed in time", e);
    }
  }

  static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("future did not complete in time", e);
    }
    throw new AssertionError("future succeeded; expected a failure");
  }
}
