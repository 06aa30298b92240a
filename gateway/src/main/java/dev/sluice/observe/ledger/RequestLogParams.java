package dev.sluice.observe.ledger;

import dev.sluice.store.requestlog.RequestQuery;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the query parameters of a request-log list ({@code key, team, model, status, error_class,
 * min_latency_ms, from, to, cursor, limit}) into a {@link RequestQuery}; every problem is a
 * {@link BadParam} naming the parameter, answered as a 400. Stateless.
 */
public final class RequestLogParams {
  public static final int DEFAULT_LIMIT = 50;
  /** What the admin API accepts. */
  public static final Set<String> ADMIN = Set.of("key", "team", "model", "status", "error_class", "min_latency_ms",
      "from", "to", "cursor", "limit");
  /** What a client key accepts: its own requests only, so no key or team. */
  public static final Set<String> TENANT = Set.of("model", "status", "error_class", "min_latency_ms", "from", "to",
      "cursor", "limit");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");
  private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx");
  private static final int MAX_TEXT = 200;

  private RequestLogParams() {}

  /** A parameter that cannot be used. */
  public static final class BadParam extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    public final String param;

    BadParam(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /**
   * The query {@code params} ask for, among {@code allowed} (one of {@link #ADMIN}, {@link #TENANT});
   * a blank value counts as absent.
   *
   * @param allowedHint said after an unknown parameter's name (what may be asked instead)
   */
  public static RequestQuery parse(MultiMap params, Set<String> allowed, String allowedHint) {
    for (String name : params.names()) {
      if (!allowed.contains(name)) {
        throw new BadParam(name, "Unknown parameter '" + name + "'; " + allowedHint);
      }
      if (params.getAll(name).size() > 1) {
        throw new BadParam(name, "Parameter '" + name + "' is given more than once");
      }
    }
    String limitText = value(params, "limit");
    int limit = DEFAULT_LIMIT;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RequestQuery.MAX_LIMIT) {
        throw new BadParam("limit", "limit must be a whole number from 1 to " + RequestQuery.MAX_LIMIT + ", got '"
            + limitText + "'");
      }
    }
    RequestQuery q = RequestQuery.newest(limit).key(text(params, "key")).team(text(params, "team"))
        .model(text(params, "model")).errorClass(text(params, "error_class"));
    String status = value(params, "status");
    if (status != null) {
      String s = status.toLowerCase(java.util.Locale.ROOT);
      if (STATUS.matcher(s).matches()) {
        q = q.status(Integer.parseInt(s), Integer.parseInt(s));
      } else if (STATUS_CLASS.matcher(s).matches()) {
        int base = (s.charAt(0) - '0') * 100;
        q = q.status(base, base + 99);
      } else if (s.equals("error")) {
        q = q.status(400, 599); // every failure: refused (4xx, 499 client gone) or failed (5xx)
      } else if (s.equals("ok")) {
        q = q.status(100, 399);
      } else {
        throw new BadParam("status", "status must be an HTTP status (429), a class (5xx), ok (below 400) or error "
            + "(400 and above), got '" + status + "'");
      }
    }
    String latency = value(params, "min_latency_ms");
    if (latency != null) {
      q = q.minLatencyMicros(micros(latency));
    }
    Instant from = time(value(params, "from"), "from");
    Instant to = time(value(params, "to"), "to");
    if (from != null && to != null && to.isBefore(from)) {
      throw new BadParam("to", "to is before from");
    }
    q = q.between(from, to);
    String cursor = value(params, "cursor");
    if (cursor != null) {
      try {
        q = q.after(RequestQuery.Position.parseCursor(cursor));
      } catch (IllegalArgumentException e) {
        throw new BadParam("cursor", "cursor must be a next_cursor this API returned");
      }
    }
    return q;
  }

  /** A query parameter's first value, stripped; null when absent or blank. */
  public static String value(MultiMap params, String name) {
    List<String> all = params.getAll(name);
    if (all.isEmpty() || all.get(0) == null || all.get(0).isBlank()) {
      return null;
    }
    return all.get(0).strip();
  }

  /** {@link #value}, at most 200 characters and without control characters, else a {@link BadParam}. */
  public static String text(MultiMap params, String name) {
    String v = value(params, name);
    if (v != null && (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl))) {
      throw new BadParam(name, name + " must be at most " + MAX_TEXT + " characters, without control characters");
    }
    return v;
  }

  private static long micros(String ms) {
    try {
      BigDecimal v = new BigDecimal(ms);
      if (v.signum() >= 0 && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) <= 0) {
        return v.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // answered below
    }
    throw new BadParam("min_latency_ms", "min_latency_ms must be a number of milliseconds >= 0, got '" + ms + "'");
  }

  /** A date ({@code 2026-01-31}: its start, UTC) or an ISO-8601 time with an offset; null when absent. */
  public static Instant time(String text, String param) {
    if (text == null) {
      return null;
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadParam(param, param + " must be a date (2026-01-31) or an ISO-8601 time (2026-01-31T12:00:00Z), got '"
          + text + "'");
    }
  }
}
