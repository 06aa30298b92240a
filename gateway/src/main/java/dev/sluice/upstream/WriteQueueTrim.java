package dev.sluice.upstream;

import io.netty.util.internal.shaded.org.jctools.queues.MpscUnboundedArrayQueue;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a Vert.x connection a write queue that starts small. Vert.x 5.0 queues each connection's
 * writes in an unbounded MPSC queue made by Netty's {@code PlatformDependent.newMpscQueue()}, whose
 * first chunk has a hard-coded 1,024 slots: a 4 kB array plus the padded queue, allocated when the
 * connection opens and kept while it lives, whether or not anything is ever queued. A stream holds
 * two connections (client and upstream), so this was ~9 kB of a stream's ~15 kB of live heap
 * (bench/results/memory.md). The replacement is an unbounded lock-free FIFO queue that is safe for
 * many producers ({@link ConcurrentLinkedQueue}; Vert.x only offers and polls it): 48 bytes while
 * empty, against 724 for JCTools' queue even with small chunks, whose cache-line padding alone is
 * ~500 bytes. A stream has a few writes queued at most; each queued write costs a 24-byte node.
 *
 * <p>Over HTTP/2 (every HTTPS provider, by ALPN) each request is a stream with a write queue of its
 * own, made the same way: 4.6 kB per upstream stream, ~23 MB of live heap at 5,000 concurrent
 * streams, most of it promoted to the old generation because a stream outlives several young
 * collections. {@link #trim(HttpClientRequest)} swaps that one.
 *
 * <p>Vert.x has no option for this, so it is done on its internals
 * ({@code VertxConnection.outboundMessageQueue.mqp.queue}, {@code VertxHttp2Stream.outboundQueue.mqp.queue});
 * when they are not as expected (another Vert.x version) nothing is changed and a warning is logged
 * once. Call it on the connection's event loop before the connection or request is used: the queue
 * is swapped only while it is empty and only on that thread.
 */
public final class WriteQueueTrim {
  private static final Logger LOG = LoggerFactory.getLogger(WriteQueueTrim.class);
  private static final MethodHandle OUTBOUND_GET;
  private static final MethodHandle MQP_GET;
  private static final MethodHandle QUEUE_GET;
  private static final MethodHandle QUEUE_SET;
  /** A client request's stream ({@code HttpClientRequestBase.stream}); null when not found. */
  private static final MethodHandle REQUEST_STREAM_GET;
  /** An HTTP/2 stream's write queue ({@code VertxHttp2Stream.outboundQueue}). */
  private static final MethodHandle H2_OUTBOUND_GET;

  static {
    MethodHandle outbound = null;
    MethodHandle mqp = null;
    MethodHandle queueGet = null;
    MethodHandle queueSet = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      outbound = lookup.unreflectGetter(accessible("io.vertx.core.net.impl.VertxConnection", "outboundMessageQueue"));
      mqp = lookup.unreflectGetter(accessible("io.vertx.core.internal.concurrent.OutboundMessageQueue", "mqp"));
      Field queue = accessible("io.vertx.core.streams.impl.MessagePassingQueue", "queue");
      queueGet = lookup.unreflectGetter(queue);
      queueSet = lookup.unreflectSetter(queue);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Vert.x connection write queues are left at their default size ({}: {})",
          e.getClass().getSimpleName(), e.getMessage());
      outbound = null;
    }
    MethodHandle requestStream = null;
    MethodHandle h2Outbound = null;
    if (outbound != null) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        requestStream = lookup.unreflectGetter(accessible("io.vertx.core.http.impl.HttpClientRequestBase", "stream"));
        h2Outbound = lookup.unreflectGetter(accessible("io.vertx.core.http.impl.VertxHttp2Stream", "outboundQueue"));
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn("Vert.x HTTP/2 stream write queues are left at their default size ({}: {})",
            e.getClass().getSimpleName(), e.getMessage());
        requestStream = null;
      }
    }
    OUTBOUND_GET = outbound;
    MQP_GET = mqp;
    QUEUE_GET = queueGet;
    QUEUE_SET = queueSet;
    REQUEST_STREAM_GET = requestStream;
    H2_OUTBOUND_GET = h2Outbound;
  }

  private WriteQueueTrim() {}

  /**
   * Swaps the connection's write queue for a small-chunked one. True when it did; false when the
   * connection is not of the expected kind, not on its event loop, its queue is not Vert.x's
   * default one (already swapped, or another implementation) or not empty. Never throws.
   */
  public static boolean trim(HttpConnection connection) {
    if (OUTBOUND_GET == null || !(connection instanceof ConnectionBase base)
        || !base.channel().eventLoop().inEventLoop()) {
      return false;
    }
    try {
      return swap(OUTBOUND_GET.invoke(base));
    } catch (Throwable e) {
      LOG.debug("Write queue not trimmed: {}", e.toString());
      return false;
    }
  }

  /**
   * Swaps an HTTP/2 client request's stream write queue for the small one; call it when the
   * request is handed out, before anything is sent on it. True when it did; false for an HTTP/1.x
   * request (it writes through its connection's queue, trimmed when the connection opened), off the
   * connection's event loop, or when the queue is not Vert.x's default one or not empty. Never throws.
   */
  public static boolean trim(HttpClientRequest request) {
    if (REQUEST_STREAM_GET == null || request.version() != HttpVersion.HTTP_2
        || !REQUEST_STREAM_GET.type().parameterType(0).isInstance(request)
        || !(request.connection() instanceof ConnectionBase base) || !base.channel().eventLoop().inEventLoop()) {
      return false;
    }
    try {
      Object stream = REQUEST_STREAM_GET.invoke(request);
      if (!H2_OUTBOUND_GET.type().parameterType(0).isInstance(stream)) {
        return false;
      }
      return swap(H2_OUTBOUND_GET.invoke(stream));
    } catch (Throwable e) {
      LOG.debug("Stream write queue not trimmed: {}", e.toString());
      return false;
    }
  }

  /** Swaps an {@code OutboundMessageQueue}'s queue when it is Netty's default one and empty. */
  private static boolean swap(Object outbound) throws Throwable {
    if (!MQP_GET.type().parameterType(0).isInstance(outbound)) {
      return false; // Vert.x's direct (unqueued) variant: nothing to trim
    }
    Object mpsc = MQP_GET.invoke(outbound);
    Queue<?> queue = (Queue<?>) QUEUE_GET.invoke(mpsc);
    // Exactly Netty's default (Unsafe) variant; the Atomic one (no Unsafe) is left as it is.
    if (queue.getClass() != MpscUnboundedArrayQueue.class || !queue.isEmpty()) {
      return false;
    }
    QUEUE_SET.invoke(mpsc, new Small<>());
    return true;
  }

  /** Whether an HTTP/2 request's stream write queue is the small one (for tests). */
  static boolean isTrimmed(HttpClientRequest request) {
    try {
      return QUEUE_GET.invoke(MQP_GET.invoke(H2_OUTBOUND_GET.invoke(REQUEST_STREAM_GET.invoke(request)))) instanceof Small<?>;
    } catch (Throwable e) {
      return false;
    }
  }

  /** Whether the connection's write queue is the small one (for tests). */
  static boolean isTrimmed(HttpConnection connection) {
    try {
      return QUEUE_GET.invoke(MQP_GET.invoke(OUTBOUND_GET.invoke((ConnectionBase) connection))) instanceof Small<?>;
    } catch (Throwable e) {
      return false;
    }
  }

  /** The replacement queue; its own class so that a trimmed queue is known. */
  private static final class Small<E> extends ConcurrentLinkedQueue<E> {
    private static final long serialVersionUID = 1L;
  }

  private static Field accessible(String className, String field) throws ReflectiveOperationException {
    Field f = Class.forName(className, false, WriteQueueTrim.class.getClassLoader()).getDeclaredField(field);
    f.setAccessible(true);
    return f;
  }
}
