package dev.sluice.core;

/** Carries an {@link UpstreamError} through a failed {@code Future}. */
public final class UpstreamFailure extends RuntimeException {
  private final UpstreamError error;

  public UpstreamFailure(UpstreamError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
