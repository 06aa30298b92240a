package dev.sluice.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.LimitsConfig;
import dev.sluice.core.Json;
import dev.sluice.cost.Micros;
import dev.sluice.store.Budget;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates admin request bodies. Every problem is an {@link Invalid} that names the
 * field ({@code budget.usd}, {@code models[1]}), answered as a 400. Numbers are read as
 * {@link BigDecimal}, so {@code "usd": 12.34} is exact. Stateless.
 */
final class AdminInput {
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final int MAX_NAME = 200;

  private AdminInput() {}

  /** A request field that cannot be used. */
  static final class Invalid extends RuntimeException {
    final String param;

    Invalid(String param, String message) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  /** The body as a JSON object with only {@code allowed} fields. */
  static ObjectNode object(Buffer body, Set<String> allowed) {
    JsonNode n;
    try {
      n = body == null || body.length() == 0 ? null : READER.readTree(body.getBytes());
    } catch (java.io.IOException | RuntimeException e) {
      // Not only IOException: a number whose exponent no BigDecimal holds (1e9999999991) is a
      // NumberFormatException, which would have been a 500.
      throw new Invalid(null, "The body is not valid JSON");
    }
    if (n == null || !n.isObject()) {
      throw new Invalid(null, "The body must be a JSON object");
    }
    allowOnly((ObjectNode) n, allowed, "");
    return (ObjectNode) n;
  }

  static void allowOnly(ObjectNode o, Set<String> allowed, String prefix) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new Invalid(prefix + f, "Unknown field '" + prefix + f + "'; allowed: "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  /** A non-blank name of at most {@value #MAX_NAME} characters. */
  static String name(JsonNode v, String param) {
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new Invalid(param, param + " is required and must be a non-empty string");
    }
    String s = v.asText().strip();
    if (s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
      throw new Invalid(param, param + " must be at most " + MAX_NAME + " characters, without control characters");
    }
    return s;
  }

  /** A name, or null when absent or JSON null. */
  static String optionalName(JsonNode v, String param) {
    return v == null || v.isNull() ? null : name(v, param);
  }

  /** A non-empty list of model names; null (absent or JSON null) means every model. */
  static List<String> models(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new Invalid(param, param + " must be a non-empty array of model names (omit it or send null for every model)");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      String m = name(v.get(i), param + "[" + i + "]");
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** {@code {rpm, tpm, max_concurrency}} over {@code base} (fields not sent keep base's value); null clears. */
  static LimitsConfig limits(JsonNode v, String param, LimitsConfig base) {
    if (v == null || v.isNull()) {
      return LimitsConfig.NONE;
    }
    if (!v.isObject()) {
      throw new Invalid(param, param + " must be an object {rpm, tpm, max_concurrency}");
    }
    allowOnly((ObjectNode) v, Set.of("rpm", "tpm", "max_concurrency"), param + ".");
    long rpm = count(v.get("rpm"), param + ".rpm", base.rpm(), Long.MAX_VALUE);
    long tpm = count(v.get("tpm"), param + ".tpm", base.tpm(), Long.MAX_VALUE);
    long conc = count(v.get("max_concurrency"), param + ".max_concurrency", base.maxConcurrency(), 10_000_000);
    return new LimitsConfig(rpm, tpm, (int) conc);
  }

  private static long count(JsonNode v, String param, long fallback, long max) {
    if (v == null) {
      return fallback;
    }
    if (v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
      throw new Invalid(param, param + " must be a whole number from 0 (no limit) to " + max);
    }
    return v.asLong();
  }

  static String priority(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return "normal";
    }
    if (!v.isTextual() || !dev.sluice.tenancy.KeyPolicy.PRIORITIES.contains(v.asText())) {
      throw new Invalid(param, param + " must be high, normal or low");
    }
    return v.asText();
  }

  static boolean bool(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new Invalid(param, param + " must be true or false");
    }
    return v.asBoolean();
  }

  /** A budget {@code {usd, period, mode}} (plus {@code extra} fields the caller reads); null for none. */
  static Budget budget(JsonNode v, String param, Set<String> extra) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new Invalid(param, param + " must be an object {usd, period, mode}");
    }
    Set<String> allowed = new java.util.HashSet<>(Set.of("usd", "period", "mode"));
    allowed.addAll(extra);
    allowOnly((ObjectNode) v, allowed, param + ".");
    JsonNode usd = v.get("usd");
    if (usd == null || !(usd.isNumber() || usd.isTextual())) {
      throw new Invalid(param + ".usd", param + ".usd is required: a decimal amount such as \"50\" or 12.5");
    }
    BigDecimal amount;
    try {
      amount = usd.isNumber() ? usd.decimalValue() : new BigDecimal(usd.asText().strip());
    } catch (NumberFormatException e) {
      throw new Invalid(param + ".usd", param + ".usd must be a decimal amount such as \"50\" or 12.5");
    }
    if (amount.signum() < 0) {
      throw new Invalid(param + ".usd", param + ".usd must not be negative");
    }
    long micros;
    try {
      micros = Micros.ofUsd(amount).value();
    } catch (IllegalArgumentException e) {
      throw new Invalid(param + ".usd", param + ".usd must have at most six decimal places and fit in range");
    }
    Budget.Period period = choice(v.get("period"), param + ".period", "monthly", Set.of("daily", "monthly", "total"),
        Budget.Period::parse);
    Budget.Mode mode = choice(v.get("mode"), param + ".mode", "hard", Set.of("hard", "soft"), Budget.Mode::parse);
    return new Budget(micros, period, mode);
  }

  private static <T> T choice(JsonNode v, String param, String fallback, Set<String> allowed,
      java.util.function.Function<String, T> parse) {
    if (v == null || v.isNull()) {
      return parse.apply(fallback);
    }
    if (!v.isTextual() || !allowed.contains(v.asText())) {
      throw new Invalid(param, param + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
    return parse.apply(v.asText());
  }

  /**
   * An alert webhook URL, or null when absent: a string the outbound guard accepts by its text
   * ({@code refusal} says why it does not, or answers null).
   */
  static String webhook(JsonNode v, String param, java.util.function.UnaryOperator<String> refusal) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new Invalid(param, param + " must be an https:// URL");
    }
    String url = v.asText().strip();
    String why = refusal.apply(url);
    if (why != null) {
      throw new Invalid(param, param + " is refused: " + why);
    }
    return url;
  }

  /** Percentages of a budget ({@code [50, 80, 100]} or {@code ["50%", "80%"]}); null when absent. */
  static List<Integer> thresholds(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new Invalid(param, param + " must be a non-empty array of percentages such as [50, 80, 100]");
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode t = v.get(i);
      String text = t.isTextual() ? t.asText().strip() : t.isIntegralNumber() ? t.asText() : null;
      if (text != null && text.endsWith("%")) {
        text = text.substring(0, text.length() - 1).strip();
      }
      int pct;
      try {
        pct = text == null ? -1 : Integer.parseInt(text);
      } catch (NumberFormatException e) {
        pct = -1;
      }
      if (pct <= 0 || pct > 1000) {
        throw new Invalid(param + "[" + i + "]", param + "[" + i + "] must be a whole percentage from 1 to 1000");
      }
      if (!out.contains(pct)) {
        out.add(pct);
      }
    }
    out.sort(null);
    return out;
  }

  /** A JSON object's text, or null. */
  static String metadata(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new Invalid(param, param + " must be a JSON object");
    }
    String text = v.toString();
    if (text.length() > 16_384) {
      throw new Invalid(param, param + " must be at most 16 KiB of JSON");
    }
    return text;
  }

  /** An ISO-8601 time with an offset ({@code 2026-12-31T23:59:59Z}), or null. */
  static Instant instant(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid(param, param + " must be an ISO-8601 time such as 2026-12-31T23:59:59Z");
    }
    try {
      return OffsetDateTime.parse(v.asText().strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(param, param + " must be an ISO-8601 time such as 2026-12-31T23:59:59Z");
    }
  }
}
