package dev.sluice.store.requestlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A page of the request log, newest first: every filter that is set must match ({@code null} means
 * any). Immutable; start from {@link #newest(int)}.
 *
 * @param keyName only this key's requests ({@code key_name})
 * @param team only this team's
 * @param model only requests for this model (as the client named it)
 * @param statusFrom with {@code statusTo}: only statuses in this inclusive range (one status: both equal)
 * @param errorClass only requests that ended with this error code
 * @param minLatencyMicros only requests that took at least this long
 * @param from inclusive lower bound of the arrival time
 * @param to exclusive upper bound of the arrival time
 * @param after only requests older than this position (the cursor of the previous page)
 * @param limit the most rows of the page, 1..{@value #MAX_LIMIT}
 */
public record RequestQuery(String keyName, String team, String model, Integer statusFrom, Integer statusTo,
    String errorClass, Long minLatencyMicros, Instant from, Instant to, Position after, int limit) {

  public static final int MAX_LIMIT = 500;

  public RequestQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    if ((statusFrom == null) != (statusTo == null)) {
      throw new IllegalArgumentException("a status range needs both ends");
    }
  }

  /** Every request, newest first, {@code limit} to a page. */
  public static RequestQuery newest(int limit) {
    return new RequestQuery(null, null, null, null, null, null, null, null, null, null, limit);
  }

  public RequestQuery key(String keyName) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to, after,
        limit);
  }

  public RequestQuery team(String team) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to, after,
        limit);
  }

  public RequestQuery model(String model) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to, after,
        limit);
  }

  public RequestQuery status(int fromInclusive, int toInclusive) {
    return new RequestQuery(keyName, team, model, fromInclusive, toInclusive, errorClass, minLatencyMicros, from, to,
        after, limit);
  }

  public RequestQuery errorClass(String errorClass) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to, after,
        limit);
  }

  public RequestQuery minLatencyMicros(Long micros) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, micros, from, to, after, limit);
  }

  public RequestQuery between(Instant from, Instant to) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to, after,
        limit);
  }

  public RequestQuery after(Position position) {
    return new RequestQuery(keyName, team, model, statusFrom, statusTo, errorClass, minLatencyMicros, from, to,
        position, limit);
  }

  /**
   * A place in the newest-first order: rows sort by arrival time, then id, both descending. Its
   * {@link #cursor()} is the opaque text the API hands out.
   */
  public record Position(long tsMillis, String id) {
    private static final String VERSION = "1";

    public Position {
      Objects.requireNonNull(id, "id");
    }

    public static Position of(RequestRow row) {
      return new Position(row.ts().toEpochMilli(), row.id());
    }

    /** Opaque to clients: URL-safe base64 of a versioned {@code ts:id}. */
    public String cursor() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((VERSION + ":" + tsMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; {@link IllegalArgumentException} when it is not one of ours. */
    public static Position parseCursor(String cursor) {
      String text;
      try {
        text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a cursor this API gave out");
      }
      String[] parts = text.split(":", 3);
      if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
        throw new IllegalArgumentException("not a cursor this API gave out");
      }
      try {
        return new Position(Long.parseLong(parts[1]), parts[2]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a cursor this API gave out");
      }
    }
  }
}
