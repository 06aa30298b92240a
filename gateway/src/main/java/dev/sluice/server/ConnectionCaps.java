package dev.sluice.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open client connections, counted across every front verticle (one per core, all on one
 * port): a gateway-wide cap and a cap per remote address. Thread-safe; one instance per gateway.
 */
final class ConnectionCaps {
  /** What {@link #admit} decided. */
  enum Verdict { ADMITTED, GATEWAY_FULL, ADDRESS_FULL }

  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionCaps(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts a new connection from {@code address} unless a cap is reached; admitted ones must be {@link #release}d. */
  Verdict admit(String address) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return Verdict.GATEWAY_FULL;
    }
    boolean[] counted = {false};
    perAddress.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      if (now >= maxPerAddress) {
        return n;
      }
      counted[0] = true;
      return now + 1;
    });
    if (!counted[0]) {
      open.decrementAndGet();
      return Verdict.ADDRESS_FULL;
    }
    return Verdict.ADMITTED;
  }

  /** An admitted connection from {@code address} closed. */
  void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }

  int open(String address) {
    return perAddress.getOrDefault(address, 0);
  }

  int max() {
    return max;
  }

  int maxPerAddress() {
    return maxPerAddress;
  }
}
