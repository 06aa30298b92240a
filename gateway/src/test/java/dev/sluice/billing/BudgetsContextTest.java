package dev.sluice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A budget counter is loaded once, by the first request, on that request's context, and cached. Every
 * later request chains its pipeline on the cached future: it must go on running on its own event loop
 * (where its connection is), not hop to the loop of the request that happened to load the counter.
 */
class BudgetsContextTest {
  private Vertx vertx;
  private Context loader;
  private Context caller;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    loader = ((VertxInternal) vertx).createEventLoopContext(); // new contexts take the loops in turn
    caller = ((VertxInternal) vertx).createEventLoopContext();
    assertThat(threadOf(loader)).as("precondition: two event loops").isNotEqualTo(threadOf(caller));
  }

  @AfterEach
  void stop() {
    Await.await(vertx.close());
  }

  @Test
  void aLoadedCounterIsUsedOnTheCallersOwnEventLoop() {
    Future<Long> cached = loadOn(loader, () -> 42L);
    Await.await(cached);

    assertThat(threadChainedOn(caller, () -> cached)).as("the raw cached future (what Vert.x does)")
        .isEqualTo(threadOf(loader));
    assertThat(threadChainedOn(caller, () -> Budgets.onCaller(cached))).isEqualTo(threadOf(caller));
    assertThat(Await.await(Budgets.onCaller(cached))).isEqualTo(42L);
  }

  @Test
  void aCounterStillLoadingCompletesOnTheCallersEventLoop() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<Long> cached = loadOn(loader, () -> {
      release.await(30, TimeUnit.SECONDS);
      return 7L;
    });
    Promise<String> seen = Promise.promise();
    caller.runOnContext(v -> Budgets.onCaller(cached)
        .onComplete(ar -> seen.complete(Thread.currentThread().getName() + "=" + ar.result())));
    release.countDown();

    assertThat(Await.await(seen.future())).isEqualTo(threadOf(caller) + "=7");
  }

  @Test
  void aFailedLoadStaysAFailure() {
    Future<Long> cached = loadOn(loader, () -> {
      throw new IllegalStateException("store down");
    });
    Await.await(cached.otherwiseEmpty());

    assertThat(Await.failure(Budgets.onCaller(cached))).hasMessage("store down");
  }

  /** A future made the way the store makes them: a blocking call started on {@code context}. */
  private static <T> Future<T> loadOn(Context context, java.util.concurrent.Callable<T> work) {
    Promise<Future<T>> made = Promise.promise();
    context.runOnContext(v -> made.complete(context.owner().executeBlocking(work)));
    return Await.await(made.future());
  }

  /** The thread a callback chained from {@code context} on the future {@code f} runs on. */
  private static String threadChainedOn(Context context, Supplier<Future<?>> f) {
    Promise<String> thread = Promise.promise();
    context.runOnContext(v -> f.get().map(x -> Thread.currentThread().getName()).onComplete(thread));
    return Await.await(thread.future());
  }

  private static String threadOf(Context context) {
    Promise<String> thread = Promise.promise();
    context.runOnContext(v -> thread.complete(Thread.currentThread().getName()));
    return Await.await(thread.future());
  }
}
