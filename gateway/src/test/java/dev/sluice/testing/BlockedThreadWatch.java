package dev.sluice.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Catches an event loop that blocks (hot-path rule 1): Vert.x's blocked-thread warnings whose
 * stack shows the loop inside a blocking call — sleeping, waiting on a lock or a future, socket or
 * file I/O, JDBC. A warning without such a frame is a loop that was slow, not blocked (descheduled
 * on a busy 2-core machine, a first meter registration, a class loading once), and timing on a
 * shared machine cannot tell that apart from load, so it does not fail a test.
 *
 * <p>Use with {@link #options(long)}, which makes Vert.x attach the blocked thread's stack to every
 * warning. Vert.x 5 logs through SLF4J under {@code BlockedThreadChecker.LOGGER_NAME}.
 */
public final class BlockedThreadWatch implements AutoCloseable {
  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  /** Frames that mean the thread is blocked, not busy, when one is among the topmost few. */
  private static final List<String> BLOCKING = List.of("java.lang.Thread.sleep", "java.lang.Object.wait",
      "jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.park",
      "java.util.concurrent.CompletableFuture.get", "java.util.concurrent.CompletableFuture.join",
      "java.util.concurrent.FutureTask.get", "sun.nio.ch.Net.poll", "sun.nio.ch.Net.connect",
      "sun.nio.ch.SocketDispatcher", "sun.nio.ch.NioSocketImpl", "java.net.", "sun.nio.ch.FileDispatcherImpl",
      "sun.nio.ch.UnixFileDispatcherImpl", "java.io.FileInputStream", "java.io.FileOutputStream",
      "java.io.RandomAccessFile", "sun.nio.fs.UnixNativeDispatcher", "org.sqlite.", "org.postgresql.", "java.sql.");
  private static final int TOP_FRAMES = 4;

  private final Logger logger = (Logger) LoggerFactory.getLogger(CHECKER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public BlockedThreadWatch() {
    appender.start();
    logger.addAppender(appender);
  }

  /** Vert.x options that check every 100 ms and attach the stack to every warning past {@code limitMs}. */
  public static VertxOptions options(long limitMs) {
    return new VertxOptions().setMaxEventLoopExecuteTime(limitMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(limitMs).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.min(100, limitMs));
  }

  /** The warnings of event loops caught inside a blocking call, each with its top frames. */
  public List<String> warnings() {
    return List.copyOf(appender.list).stream().filter(e -> blockingFrame(e.getThrowableProxy()) != null)
        .map(e -> e.getFormattedMessage() + " in " + blockingFrame(e.getThrowableProxy())).toList();
  }

  private static String blockingFrame(IThrowableProxy stack) {
    if (stack == null) {
      return null;
    }
    StackTraceElementProxy[] frames = stack.getStackTraceElementProxyArray();
    for (StackTraceElementProxy f : frames) {
      String at = f.getStackTraceElement().getClassName();
      if (at.startsWith("io.netty.channel.nio.NioIoHandler") || at.startsWith("java.lang.ClassLoader")) {
        return null; // an idle loop in its selector, or loading a class: not a blocking call of ours
      }
    }
    for (int i = 0; i < Math.min(TOP_FRAMES * 2, frames.length); i++) {
      String at = frames[i].getStackTraceElement().getClassName();
      if (at.startsWith("sun.nio.ch.SocketChannelImpl") || at.startsWith("sun.nio.ch.ServerSocketChannelImpl")) {
        // Netty reading, writing or closing its own non-blocking channel: a loop descheduled by a busy
        // machine mid-call shows this stack, but the call itself never waits.
        return null;
      }
    }
    for (int i = 0; i < Math.min(TOP_FRAMES, frames.length); i++) {
      StackTraceElement f = frames[i].getStackTraceElement();
      String name = f.getClassName() + "." + f.getMethodName();
      if (BLOCKING.stream().anyMatch(name::startsWith)) {
        return name;
      }
    }
    return null;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
