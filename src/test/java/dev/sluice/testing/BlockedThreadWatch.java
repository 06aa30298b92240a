package dev.sluice.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Catches Vert.x's blocked-thread warnings so a test can fail when code under test blocks an event
 * loop (hot-path rule 1). Vert.x logs them through SLF4J when SLF4J is on the class path.
 */
public final class BlockedThreadWatch implements AutoCloseable {
  private static final String CHECKER = "io.vertx.core.internal.threadchecker.BlockedThreadChecker";
  private final Logger logger = (Logger) LoggerFactory.getLogger(CHECKER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public BlockedThreadWatch() {
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> warnings() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
