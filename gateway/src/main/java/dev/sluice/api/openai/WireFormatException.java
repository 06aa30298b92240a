package dev.sluice.api.openai;

/** A body that does not follow the wire format; {@link #param()} names the offending field. */
public final class WireFormatException extends RuntimeException {
  private final String param;

  public WireFormatException(String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  public String param() {
    return param;
  }
}
