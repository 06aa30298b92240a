package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ledger rows kept in memory up to a bound in rows and in stored body bytes: a row past either is not
 * taken (a row alone is always taken, whatever its bodies). Rows count against the bound from
 * {@link #add} until {@link #release}: taking them out ({@link #takeAll}) does not free their room,
 * since whoever took them still holds them in memory until it has written them. Thread-safe.
 */
final class BoundedRows {
  private final ConcurrentLinkedQueue<BatchRow> rows = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final int maxRows;
  private final long maxBodyBytes;

  BoundedRows(int maxRows, long maxBodyBytes) {
    this.maxRows = maxRows;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Takes the row, or false when it would pass the bound (and it is not taken). */
  boolean add(BatchRow row) {
    long bytes = row.bodyBytes();
    if (count.incrementAndGet() > maxRows) {
      count.decrementAndGet();
      return false;
    }
    long before = bytes > 0 ? bodyBytes.getAndAdd(bytes) : 0;
    if (before > 0 && before + bytes > maxBodyBytes) {
      bodyBytes.addAndGet(-bytes);
      count.decrementAndGet();
      return false;
    }
    rows.add(row);
    return true;
  }

  /** Every row taken so far, in order; they still count against the bound until {@link #release}d. */
  List<BatchRow> takeAll() {
    List<BatchRow> out = new ArrayList<>();
    for (BatchRow r; (r = rows.poll()) != null; ) {
      out.add(r);
    }
    return out;
  }

  /** Every row taken so far, in order, and their room freed: for a caller done counting them. */
  List<BatchRow> drain() {
    List<BatchRow> out = takeAll();
    release(out);
    return out;
  }

  /** Removes a row still waiting here, and frees its room; false if it was taken out already. */
  boolean remove(BatchRow row) {
    if (!rows.remove(row)) {
      return false;
    }
    release(List.of(row));
    return true;
  }

  /** Frees the room of rows taken out with {@link #takeAll}. */
  void release(List<BatchRow> taken) {
    long bytes = 0;
    for (BatchRow r : taken) {
      bytes += r.bodyBytes();
    }
    count.addAndGet(-taken.size());
    if (bytes > 0) {
      bodyBytes.addAndGet(-bytes);
    }
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Rows counted against the bound now. */
  int rows() {
    return count.get();
  }

  /** Stored body bytes counted against the bound now. */
  long bodyBytes() {
    return bodyBytes.get();
  }

  /** Forgets every row, as a process kill would. */
  void clear() {
    rows.clear();
    count.set(0);
    bodyBytes.set(0);
  }
}
