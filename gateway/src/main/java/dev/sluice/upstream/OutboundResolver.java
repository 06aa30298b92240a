package dev.sluice.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/**
 * Resolves a host name for the {@link OutboundGuard}, once per call: the guard classifies every
 * address it answers and the call goes to the first. Injected so tests can map names such as
 * {@code internal.example.test} to the addresses they need.
 */
@FunctionalInterface
public interface OutboundResolver {

  /** Every address {@code name} (a DNS name, never a literal) resolves to; fails when there is none. */
  Future<List<InetAddress>> resolve(String name);

  /**
   * The JVM's resolver (hosts file, then DNS), run on a worker thread: the lookup blocks. Unordered
   * workers, so one slow lookup does not hold up the next.
   */
  static OutboundResolver system(Vertx vertx) {
    return name -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(name)), false);
  }
}
