package dev.sluice.admission;

/** Why the {@link AdmissionQueue} turned a request away; carried by {@link ShedException}. */
public enum Shed {
  /** The queue was full (and held nothing of lower priority to evict). */
  QUEUE_FULL,
  /** The predicted wait was longer than the request's remaining time: refused at once. */
  WAIT_TOO_LONG,
  /** The request waited its maximum (the queue's max wait or its own deadline). */
  TIMED_OUT,
  /** The attempt said waiting cannot help (too large for a limit, limiter unavailable). */
  REJECTED,
  /** The caller cancelled (the client went away). */
  CANCELLED
}
