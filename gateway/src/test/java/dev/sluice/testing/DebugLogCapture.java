package dev.sluice.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged while it is open, at the most verbose level of every logger: Logback
 * (which SLF4J, Vert.x and Netty log through) with every logger at DEBUG, java.util.logging (which
 * OpenTelemetry logs through) at ALL, and whatever is printed to {@code System.out} and
 * {@code System.err}. The JDK's own HTTP client stays at INFO: it is the test's client (the gateway
 * speaks through Vert.x), and at DEBUG it logs every URL the test asks for. Console appenders are
 * detached meanwhile (the captured text is the test's to show). {@link #close()} restores every
 * level, appender, handler and stream as it was. Not for tests running in parallel in one JVM.
 */
public final class DebugLogCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Map<Logger, Level> levels = new IdentityHashMap<>();
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private final List<String> debugLoggers = new ArrayList<>();
  private final Appender<ILoggingEvent> appender;
  private final java.util.logging.Logger julRoot = java.util.logging.LogManager.getLogManager().getLogger("");
  private final java.util.logging.Level julLevel;
  private final Handler julHandler;
  /** Held strongly: java.util.logging keeps loggers only weakly, and would forget the level. */
  private final java.util.logging.Logger testClient = java.util.logging.Logger.getLogger("jdk.internal.httpclient");
  private final java.util.logging.Level testClientLevel = testClient.getLevel();
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private DebugLogCapture() {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Logger l : context.getLoggerList()) {
      if (l.getLevel() != null) {
        levels.put(l, l.getLevel());
        l.setLevel(Level.DEBUG);
      }
    }
    root.setLevel(Level.DEBUG);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      if (a instanceof ch.qos.logback.core.ConsoleAppender) {
        detached.add(a);
      }
    }
    detached.forEach(root::detachAppender);
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName())
            .append(" [").append(e.getThreadName()).append("] ").append(e.getFormattedMessage());
        if (!e.getMDCPropertyMap().isEmpty()) {
          sb.append(" mdc=").append(e.getMDCPropertyMap());
        }
        if (e.getKeyValuePairs() != null) {
          sb.append(" kv=").append(e.getKeyValuePairs());
        }
        if (e.getThrowableProxy() != null) {
          sb.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
        record(sb.toString(), e.getLevel() == Level.DEBUG || e.getLevel() == Level.TRACE ? e.getLoggerName() : null);
      }
    };
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);

    julLevel = julRoot.getLevel();
    julRoot.setLevel(java.util.logging.Level.ALL);
    testClient.setLevel(java.util.logging.Level.INFO);
    SimpleFormatter format = new SimpleFormatter();
    julHandler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        StringBuilder sb = new StringBuilder("JUL ").append(r.getLevel()).append(' ').append(r.getLoggerName())
            .append(' ').append(format.formatMessage(r));
        if (r.getThrown() != null) {
          java.io.StringWriter w = new java.io.StringWriter();
          r.getThrown().printStackTrace(new java.io.PrintWriter(w));
          sb.append('\n').append(w);
        }
        boolean debug = r.getLevel().intValue() < java.util.logging.Level.INFO.intValue();
        record(sb.toString(), debug ? r.getLoggerName() : null);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    julHandler.setLevel(java.util.logging.Level.ALL);
    julRoot.addHandler(julHandler);

    System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
  }

  /** Starts capturing; close to restore. */
  public static DebugLogCapture everythingAtDebug() {
    return new DebugLogCapture();
  }

  private synchronized void record(String line, String debugLogger) {
    lines.add(line);
    if (debugLogger != null) {
      debugLoggers.add(debugLogger);
    }
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (printed) {
          printed.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (printed) {
          printed.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
  }

  /** Every captured log line (with its stack trace, if any), in order. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The names of loggers that logged at DEBUG/TRACE (FINE and below for java.util.logging). */
  public synchronized List<String> debugLoggers() {
    return List.copyOf(debugLoggers);
  }

  /** What was printed to standard out and standard error meanwhile. */
  public String printed() {
    synchronized (printed) {
      return printed.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setOut(out);
    System.setErr(err);
    julRoot.removeHandler(julHandler);
    julRoot.setLevel(julLevel);
    testClient.setLevel(testClientLevel);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    appender.stop();
    detached.forEach(root::addAppender);
    root.setLevel(levels.getOrDefault(root, Level.INFO));
    levels.forEach(Logger::setLevel);
  }
}
