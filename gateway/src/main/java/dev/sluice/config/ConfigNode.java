package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cursor over one mapping of the parsed config that reads typed values and records every problem
 * with its path instead of stopping at the first. Placeholders for environment variables are
 * resolved on read.
 *
 * <p>A problem names the path and what is expected, never the value found: a value may be a secret
 * (a key pasted into the wrong field, a URL with its password, a variable from the environment),
 * and config errors end up in terminals and CI logs. The path is enough to find it in the file.
 */
final class ConfigNode {
  private final JsonNode node;
  private final String path;
  private final List<ConfigProblem> problems;
  private final EnvSubstitution env;

  ConfigNode(JsonNode node, String path, List<ConfigProblem> problems, EnvSubstitution env) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.env = env;
  }

  String path() {
    return path;
  }

  String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String key, String message) {
    problems.add(new ConfigProblem(key == null ? path : at(key), message));
  }

  /** Records an error for every key not in {@code allowed}: a typo must not silently do nothing. */
  void allowOnly(Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problem(name, "unknown key (allowed here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  String string(String key, String fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      problem(key, "must be a single value, not a list or mapping");
      return fallback;
    }
    EnvSubstitution.Resolved r = env.resolve(v.asText());
    return r.value() == null ? fallback : r.value();
  }

  /** A required string; names the unset environment variable when that is why it is missing. */
  String requiredString(String key) {
    JsonNode v = node.get(key);
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      String unset = v != null && v.isTextual() ? env.resolve(v.asText()).unsetVariable() : null;
      problem(key, unset != null ? "is required, but environment variable " + unset + " is not set" : "is required");
      return null;
    }
    return value;
  }

  /** Null when the key is absent, or refers only to an unset environment variable. */
  String optionalSecret(String key) {
    String value = string(key, null);
    return value == null || value.isBlank() ? null : value;
  }

  boolean bool(String key, boolean fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    if (!text.equals("true") && !text.equals("false")) {
      problem(key, "must be true or false");
      return fallback;
    }
    return Boolean.parseBoolean(text);
  }

  int integer(String key, int fallback, int min, int max) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value < min || value > max) {
        problem(key, "must be between " + min + " and " + max);
        return fallback;
      }
      return (int) value;
    } catch (NumberFormatException e) {
      problem(key, "must be an integer");
      return fallback;
    }
  }

  long longValue(String key, long fallback, long min) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value < min) {
        problem(key, "must be at least " + min);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problem(key, "must be an integer");
      return fallback;
    }
  }

  /** A share: {@code 20%} or {@code 0.2}, between 0 and 1. */
  double ratio(String key, double fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      String t = text.trim();
      double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100.0 : Double.parseDouble(t);
      if (v < 0 || v > 1) {
        problem(key, "must be between 0% and 100%");
        return fallback;
      }
      return v;
    } catch (NumberFormatException e) {
      problem(key, "must be a share such as 20% or 0.2");
      return fallback;
    }
  }

  /** A list of strings (a single string counts as a list of one). */
  List<String> stringList(String key) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      addResolved(out, v);
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list of names");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode()) {
        problems.add(new ConfigProblem(at(key) + "[" + i + "]", "must be a name"));
      } else {
        addResolved(out, v.get(i));
      }
    }
    return out;
  }

  /** An item that is only a reference to an unset variable is absent, like such a scalar. */
  private void addResolved(List<String> out, JsonNode item) {
    String value = env.resolve(item.asText()).value();
    if (value != null) {
      out.add(value);
    }
  }

  Duration duration(String key, Duration fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(text);
      if (d.isZero()) {
        problem(key, "must be longer than zero");
        return fallback;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(key, "is not a duration (use e.g. 250ms, 30s, 5m, 1h, 30d)");
      return fallback;
    }
  }

  /** The value at {@code key} as parsed, null when absent: for a value whose type the caller checks. */
  JsonNode raw(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  boolean has(String key) {
    return node.has(key);
  }

  /** The child mapping, or null (with a problem recorded when present but not a mapping). */
  ConfigNode object(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      problem(key, "must be a mapping");
      return null;
    }
    return new ConfigNode(v, at(key), problems, env);
  }

  /** The mappings of a list; an absent key is an empty list. */
  List<ConfigNode> list(String key) {
    JsonNode v = node.get(key);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String itemPath = at(key) + "[" + i + "]";
      if (!v.get(i).isObject()) {
        problems.add(new ConfigProblem(itemPath, "must be a mapping"));
        continue;
      }
      out.add(new ConfigNode(v.get(i), itemPath, problems, env));
    }
    return out;
  }

  /** A mapping of string to string (headers). */
  Map<String, String> stringMap(String key) {
    ConfigNode child = object(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (child == null) {
      return out;
    }
    Iterator<String> names = child.node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      String value = child.string(name, null);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }
}
