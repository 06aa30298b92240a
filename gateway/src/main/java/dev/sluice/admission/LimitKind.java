package dev.sluice.admission;

/** Which dimension of a {@link LimitSpec} refused a request. */
public enum LimitKind {
  REQUESTS("requests"),
  TOKENS("tokens"),
  CONCURRENCY("concurrency");

  private final String wireName;

  LimitKind(String wireName) {
    this.wireName = wireName;
  }

  /** {@code requests}, {@code tokens} or {@code concurrency}, as error bodies and logs spell it. */
  public String wireName() {
    return wireName;
  }
}
