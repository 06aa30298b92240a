package dev.sluice.core;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The far deadlines of one event loop (a request's total, a call's first token, a connection's
 * idle and header limits): set and cancelled in O(1), fired at their time to the event loop's
 * precision.
 *
 * <p>Why not one event-loop timer each: a request set and cancelled two of them, and each is an
 * insert into and a removal from Netty's scheduled-task heap, which under load holds every
 * in-flight request's timers. A warm profile put 3.9 % of the gateway's samples in that heap's
 * {@code bubbleUp}/{@code bubbleDown} (bench/results/hotspots.md, twenty-third pass). Yet these
 * deadlines are seconds to minutes away and almost all are cancelled within milliseconds.
 *
 * <p>So a deadline at least {@link #DIRECT_NANOS} away goes into a bucket of a wheel ({@value
 * #SLOTS} buckets of 2<sup>30</sup> ns, about 1.07 s; 73 minutes round, later ones wait their
 * round) linked into that bucket's list: O(1) to add and to unlink, no allocation but the deadline
 * itself. While the wheel holds any, one task per loop wakes about once a second and moves the
 * deadlines whose bucket starts within the next two seconds onto the event loop's own timer at
 * their exact time: only the few that live that long ever reach the heap. Nearer deadlines go there
 * at once, as before. The Linux kernel's timer wheel rests on the same observation.
 *
 * <p>Confined to its event loop. {@link #of} from another thread gives an instance that schedules
 * every deadline on the loop's timer directly (thread-safe, the old cost).
 */
public final class LoopDeadlines {

  /** The event loop underneath: its own timer, and whether the caller runs on it. */
  interface Loop {
    boolean inLoop();

    Future<?> schedule(Runnable task, long delayNanos);

    void execute(Runnable task);
  }

  static final int SHIFT = 30;
  static final long SPAN = 1L << SHIFT;
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;
  /** Nearer than this, a deadline goes onto the event loop's timer at once. */
  static final long DIRECT_NANOS = 3 * SPAN;
  /** Each wake moves to the timer the buckets that start before this much from now. */
  private static final long PROMOTE_AHEAD = 2 * SPAN;

  private static final FastThreadLocal<LoopDeadlines> PER_LOOP = new FastThreadLocal<>();

  private final Object owner;
  private final Loop loop;
  private final LongSupplier clock;
  /** Buckets count from here, so that {@link System#nanoTime} wrapping round does not matter. */
  private final long origin;
  /** Allocated on the first far deadline: an instance made off the loop never needs them. */
  private Deadline[] buckets;
  private final Runnable wake = this::wake;
  /** The first bucket not yet moved to the timer. */
  private long cursor = Long.MIN_VALUE;
  private int inWheel;
  private boolean wakeArmed;

  LoopDeadlines(Object owner, Loop loop, LongSupplier clock) {
    this.owner = owner;
    this.loop = loop;
    this.clock = clock;
    this.origin = clock.getAsLong();
  }

  /** The deadlines of {@code eventLoop}; the caller should be running on it. */
  public static LoopDeadlines of(EventLoop eventLoop) {
    if (!eventLoop.inEventLoop()) {
      return new LoopDeadlines(eventLoop, netty(eventLoop), System::nanoTime);
    }
    LoopDeadlines mine = PER_LOOP.getIfExists();
    if (mine == null || mine.owner != eventLoop) {
      mine = new LoopDeadlines(eventLoop, netty(eventLoop), System::nanoTime);
      PER_LOOP.set(mine);
    }
    return mine;
  }

  private static Loop netty(EventLoop eventLoop) {
    return new Loop() {
      @Override
      public boolean inLoop() {
        return eventLoop.inEventLoop();
      }

      @Override
      public Future<?> schedule(Runnable task, long delayNanos) {
        return eventLoop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void execute(Runnable task) {
        eventLoop.execute(task);
      }
    };
  }

  /**
   * A deadline on the loop of the caller's Vert.x context, whose {@code handler} runs on that context
   * (as a Vert.x timer's does): what the pipeline's and the upstream call's deadlines use.
   */
  public static Deadline onContext(Vertx vertx, long dueNanos, Runnable handler) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    return of(context.nettyEventLoop()).at(dueNanos, () -> context.emit(v -> handler.run()));
  }

  /** Runs {@code task} on the loop at {@link System#nanoTime} {@code dueNanos}, unless cancelled. */
  public Deadline at(long dueNanos, Runnable task) {
    Deadline d = new Deadline(this, dueNanos, task);
    long now = clock.getAsLong();
    if (dueNanos - now < DIRECT_NANOS || !loop.inLoop()) {
      d.toTimer(now);
      return d;
    }
    if (buckets == null) {
      buckets = new Deadline[SLOTS];
    }
    d.bucket = (dueNanos - origin) >> SHIFT;
    int slot = (int) (d.bucket & MASK);
    Deadline head = buckets[slot];
    d.next = head;
    if (head != null) {
      head.prev = d;
    }
    buckets[slot] = d;
    d.inWheel = true;
    inWheel++;
    if (!wakeArmed) {
      armWake();
    }
    return d;
  }

  /** Deadlines waiting in the wheel (not yet on the event loop's timer). */
  int inWheel() {
    return inWheel;
  }

  private void armWake() {
    wakeArmed = true;
    loop.schedule(wake, SPAN);
  }

  private void wake() {
    wakeArmed = false;
    long now = clock.getAsLong();
    long limit = (now - origin + PROMOTE_AHEAD) >> SHIFT;
    long from = cursor == Long.MIN_VALUE ? limit - MASK : cursor;
    if (limit >= from) {
      long count = Math.min(limit - from + 1, SLOTS);
      for (long b = from; b < from + count; b++) {
        Deadline d = buckets[(int) (b & MASK)];
        while (d != null) {
          Deadline next = d.next;
          if (d.bucket <= limit) { // a later round's deadline stays for its round
            unlink(d);
            d.toTimer(now);
          }
          d = next;
        }
      }
      cursor = limit + 1;
    }
    if (inWheel > 0) {
      armWake();
    }
  }

  private void unlink(Deadline d) {
    if (d.prev != null) {
      d.prev.next = d.next;
    } else {
      buckets[(int) (d.bucket & MASK)] = d.next;
    }
    if (d.next != null) {
      d.next.prev = d.prev;
    }
    d.prev = d.next = null;
    d.inWheel = false;
    inWheel--;
  }

  /** One deadline: fires once, or never once cancelled. */
  public static final class Deadline implements Runnable {
    private final LoopDeadlines wheel;
    private final long due;
    private final Runnable task;
    private long bucket;
    private Deadline prev;
    private Deadline next;
    private boolean inWheel;
    private Future<?> timer;
    private boolean over;

    private Deadline(LoopDeadlines wheel, long due, Runnable task) {
      this.wheel = wheel;
      this.due = due;
      this.task = task;
    }

    /** When it fires, in {@link System#nanoTime} terms. */
    public long due() {
      return due;
    }

    private void toTimer(long now) {
      timer = wheel.loop.schedule(this, Math.max(0, due - now));
    }

    /** The event loop's timer: the deadline is here. */
    @Override
    public void run() {
      if (!over) {
        over = true;
        task.run();
      }
    }

    /** It will not fire (nothing happens if it already has). Cheapest on the event loop. */
    public void cancel() {
      if (over) {
        return;
      }
      if (inWheel && !wheel.loop.inLoop()) {
        wheel.loop.execute(this::cancel);
        return;
      }
      over = true;
      if (inWheel) {
        wheel.unlink(this);
      } else if (timer != null) {
        timer.cancel(false);
      }
    }
  }
}
