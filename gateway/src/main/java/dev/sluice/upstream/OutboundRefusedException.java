package dev.sluice.upstream;

/** An outbound call the {@link OutboundGuard} refused; nothing was sent, no connection was opened. */
public final class OutboundRefusedException extends RuntimeException {
  private final transient OutboundDecision.Refused refused;

  public OutboundRefusedException(OutboundDecision.Refused refused) {
    super("refused by the outbound guard: " + refused.message(), null, false, false);
    this.refused = refused;
  }

  public OutboundDecision.Refused refused() {
    return refused;
  }
}
