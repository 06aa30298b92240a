package dev.sluice.store;

/**
 * Why a store call failed, carried by the failed {@code Future}. {@link #conflict()} is true when a
 * unique constraint refused the write (a key id or key hash that already exists), so callers can
 * answer 409 instead of 500; everything else (engine down, I/O, SQL error) is a plain failure.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean conflict;

  public StoreException(String message, Throwable cause, boolean conflict) {
    super(message, cause);
    this.conflict = conflict;
  }

  public boolean conflict() {
    return conflict;
  }
}
