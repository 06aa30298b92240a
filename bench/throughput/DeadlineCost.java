import dev.sluice.core.LoopDeadlines;
import io.vertx.core.*;
import io.vertx.core.internal.ContextInternal;
import java.lang.management.*;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A request's far deadlines as the event loop sees them under load (issue 19, twenty-fourth pass;
 * bench/results/throughput.md): W requests in flight per loop, each holding a deadline tens of
 * seconds away; every step sets one for a new request and cancels the oldest request's (it was
 * answered). Arms: Vert.x's timer ({@code setTimer}/{@code cancelTimer}, what Execution and
 * PhaseTimer used) and the loop's deadline wheel ({@code LoopDeadlines}). Two verticle instances on
 * two event loops at once; CPU is each loop thread's; 8 rounds, the first two warm-up.
 *
 *   java -cp gateway/target/sluice.jar [-Dn=200000] [-Dw=64] bench/throughput/DeadlineCost.java
 */
public class DeadlineCost {
  static final int N = Integer.getInteger("n", 200_000);
  static final int W = Integer.getInteger("w", 64);

  public static void main(String[] a) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    ConcurrentHashMap<String, Long> cpu = new ConcurrentHashMap<>();
    for (int round = 0; round < 8; round++) {
      for (String arm : new String[] {"vertx", "wheel"}) {
        CountDownLatch done = new CountDownLatch(2);
        vertx.deployVerticle(() -> new VerticleBase() {
          @Override public Future<?> start() {
            ContextInternal ctx = (ContextInternal) context;
            ctx.runOnContext(v -> {
              Handler<Long> h = id -> {};
              Runnable r = () -> ctx.emit(null, h);
              LoopDeadlines wheel = LoopDeadlines.of(ctx.nettyEventLoop());
              ArrayDeque<Object> inFlight = new ArrayDeque<>();
              long t0 = tm.getCurrentThreadCpuTime();
              for (int i = 0; i < N + W; i++) {
                long delayMs = 30_000 + (i % 1000); // 30-31 s: a request's total, varying with arrival
                if (arm.equals("vertx")) {
                  inFlight.add(vertx.setTimer(delayMs, h));
                  if (inFlight.size() > W) {
                    vertx.cancelTimer((Long) inFlight.poll());
                  }
                } else {
                  inFlight.add(wheel.at(System.nanoTime() + delayMs * 1_000_000, r));
                  if (inFlight.size() > W) {
                    ((LoopDeadlines.Deadline) inFlight.poll()).cancel();
                  }
                }
              }
              long spent = tm.getCurrentThreadCpuTime() - t0;
              for (Object o : inFlight) {
                if (o instanceof Long id) vertx.cancelTimer(id);
                else ((LoopDeadlines.Deadline) o).cancel();
              }
              cpu.merge(arm, spent, Long::sum);
              done.countDown();
            });
            return Future.succeededFuture();
          }
        }, new DeploymentOptions().setInstances(2)).await();
        done.await();
      }
      if (round >= 2) {
        double v = cpu.get("vertx") / (2.0 * N * (round - 1));
        double w = cpu.get("wheel") / (2.0 * N * (round - 1));
        System.out.printf("round %d, %d in flight per loop: vertx %.0f ns per set and cancel, wheel %.0f ns (%.2f x)%n",
            round, W, v, w, w / v);
      } else cpu.clear();
    }
    vertx.close();
  }
}
