package dev.sluice.observe.ledger;

/**
 * How much the journal hand-off ({@link Spill#handOff}) may hold: rows that overflowed the writer's
 * queue and wait, in memory, for the journal worker to append them.
 *
 * <p>At {@code behindRows} (or {@code behindBodyBytes}) the writer is {@linkplain LedgerWriter#behind()
 * behind}: the gateway refuses new billed requests until the worker catches up, so that the requests
 * already in flight still find room for their rows. At {@code maxRows} (or {@code maxBodyBytes}) a row
 * is not taken: it is counted as dropped and logged instead of growing the heap without limit.
 *
 * @param maxRows rows held at most
 * @param maxBodyBytes stored bodies held at most (a row alone is always taken, whatever its bodies)
 * @param behindRows rows from which the writer reports it is behind
 * @param behindBodyBytes body bytes from which the writer reports it is behind
 */
record OverflowBound(int maxRows, long maxBodyBytes, int behindRows, long behindBodyBytes) {

  OverflowBound {
    if (behindRows < 1 || behindRows > maxRows || behindBodyBytes < 1 || behindBodyBytes > maxBodyBytes) {
      throw new IllegalArgumentException("need 1 <= behind <= max: " + behindRows + "/" + maxRows + " rows, "
          + behindBodyBytes + "/" + maxBodyBytes + " bytes");
    }
  }

  /**
   * Twice the queue (and its bound on bodies) at most, behind from half the queue: the queue is what
   * a store that keeps up needs, so a hand-off that grew past half of it is a journal that does not.
   * With the defaults: 20,000 rows (~20 MB) and 64 MiB of bodies at most, behind from 5,000 rows.
   */
  static OverflowBound of(LedgerWriterOptions options) {
    int queue = options.queueCapacity();
    long bodies = options.maxQueuedBodyBytes();
    int max = (int) Math.min(Integer.MAX_VALUE, 2L * queue);
    return new OverflowBound(max, saturatedDouble(bodies), Math.max(1, queue / 2), Math.max(1, bodies / 2));
  }

  private static long saturatedDouble(long n) {
    return n > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * n;
  }
}
