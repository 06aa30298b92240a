package dev.sluice.upstream;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null when absent
 * @param data the {@code data:} lines joined with {@code \n}, as UTF-8 bytes
 */
public record SseEvent(String event, byte[] data) {

  public String dataAsString() {
    return new String(data, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether the data is exactly {@code text} (compared on bytes, no decoding). */
  public boolean dataEquals(byte[] text) {
    return java.util.Arrays.equals(data, text);
  }
}
