import io.vertx.core.*;
import io.vertx.core.internal.ContextInternal;
import java.lang.management.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a Vert.x timer costs the event loop, set and cancelled, against Netty's scheduler underneath it
 * (issue 19, twenty-first pass; bench/results/throughput.md). A request arms and cancels two: its
 * deadline ({@code Execution}) and its upstream call's phase timer ({@code PhaseTimer}). Two verticle
 * instances (a deployment context, as the gateway's) on two event loops at once, each setting and
 * cancelling N timers back to back; CPU is each loop thread's; 8 rounds, the first two warm-up.
 *
 *   java -cp gateway/target/sluice.jar [-Dn=200000] bench/throughput/TimerCost.java
 */
public class TimerCost {
  static final int N = Integer.getInteger("n", 200_000);
  public static void main(String[] a) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    ConcurrentHashMap<String, Long> cpu = new ConcurrentHashMap<>();
    for (int round = 0; round < 8; round++) {
      for (String arm : new String[] {"vertx", "netty"}) {
        CountDownLatch done = new CountDownLatch(2);
        vertx.deployVerticle(() -> new VerticleBase() {
          @Override public Future<?> start() {
            ContextInternal ctx = (ContextInternal) context;
            ctx.runOnContext(v -> {
              long t0 = tm.getCurrentThreadCpuTime();
              Handler<Long> h = id -> {};
              Runnable r = () -> ctx.emit(null, h);
              for (int i = 0; i < N; i++) {
                if (arm.equals("vertx")) {
                  long id = vertx.setTimer(60_000, h);
                  vertx.cancelTimer(id);
                } else {
                  ScheduledFuture<?> f = ctx.nettyEventLoop().schedule(r, 60_000, TimeUnit.MILLISECONDS);
                  f.cancel(false);
                }
              }
              cpu.merge(arm, tm.getCurrentThreadCpuTime() - t0, Long::sum);
              done.countDown();
            });
            return Future.succeededFuture();
          }
        }, new DeploymentOptions().setInstances(2)).await();
        done.await();
      }
      if (round >= 2) {
        System.out.printf("round %d: vertx %.0f ns/pair, netty %.0f ns/pair%n", round,
            cpu.get("vertx") / (2.0 * N * (round - 1)), cpu.get("netty") / (2.0 * N * (round - 1)));
      } else cpu.clear();
    }
    vertx.close();
  }
}
