package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} and {@code ${env:NAME:-default}} in config files.
 *
 * <p>References are swapped for plain placeholder words before YAML parsing and resolved in the
 * parsed scalars afterwards. Substituting the text directly would break YAML: a reference inside a
 * flow mapping ({@code { key: ${env:K} }}) is not a valid plain scalar, and a value containing
 * {@code :} or {@code #} would change the document's structure.
 */
final class EnvSubstitution {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Function<String, String> env;
  private final List<String[]> references = new ArrayList<>();
  /** The placeholders' prefix: a word the text does not hold, so the text's own words stay as written. */
  private String marker = "SLUICEENV";
  private Pattern placeholder;

  EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /** The text with every reference replaced by a placeholder word. */
  String protect(String yaml) {
    while (yaml.contains(marker)) {
      marker += "Q";
    }
    placeholder = Pattern.compile(marker + "(\\d{1,9})X");
    Matcher m = REFERENCE.matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      references.add(new String[] {m.group(1), m.group(2)});
      m.appendReplacement(out, marker + (references.size() - 1) + "X");
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The result of resolving one scalar. */
  record Resolved(String value, String unsetVariable) {}

  /**
   * Resolves the placeholders of a scalar. A scalar that is exactly one reference to an unset
   * variable with no default resolves to null (the key counts as absent) and names the variable.
   */
  Resolved resolve(String scalar) {
    Matcher m = placeholder == null ? null : placeholder.matcher(scalar);
    if (m == null || !m.find()) {
      return new Resolved(scalar, null);
    }
    m.reset();
    StringBuilder out = new StringBuilder();
    String unset = null;
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index >= references.size()) {
        // Not one of ours: YAML escapes can spell a placeholder ("SLUICE\x45NV7X") the raw text lacked.
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
        continue;
      }
      String[] ref = references.get(index);
      String value = env.apply(ref[0]);
      if (value == null || value.isEmpty()) {
        value = ref[1];
      }
      if (value == null) {
        unset = ref[0];
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String result = out.toString();
    return new Resolved(result.isEmpty() && unset != null ? null : result, unset);
  }
}
