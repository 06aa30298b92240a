package dev.sluice.cost;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tolerant half of model-name matching: the other spellings a model name may be a variant of.
 * Only ever removes a recognisable wrapper — a routing prefix or a version/date suffix — and never
 * shortens a name otherwise, so {@code gpt-4o-mini} can never be taken for {@code gpt-4o}.
 */
final class ModelNames {
  /** Version and date suffixes, tried in this order and peeled off one at a time. */
  private static final List<Pattern> SUFFIXES = List.of(
      Pattern.compile("-v\\d+(:\\d+)?$"),        // Bedrock: …-20241022-v1:0
      Pattern.compile("-latest$"),               // mistral-large-latest, claude-3-5-haiku-latest
      Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$"), // OpenAI, Qwen: gpt-4o-2024-11-20
      Pattern.compile("-\\d{8}$"),               // Anthropic: claude-sonnet-4-5-20250929
      Pattern.compile("-\\d{2}-\\d{4}$"),        // Gemini previews: …-preview-09-2025
      Pattern.compile("-\\d{2}-\\d{2}$"),        // Gemini previews: …-preview-06-05
      Pattern.compile("-\\d{4}$"),               // Mistral YYMM, old OpenAI MMDD: mistral-large-2411
      Pattern.compile("-\\d{3}$"));              // Gemini stable versions: gemini-2.0-flash-001
  /** Bedrock-style vendor prefixes: {@code anthropic.claude-…}, {@code us.anthropic.claude-…}. */
  private static final Pattern DOTTED_VENDOR = Pattern.compile("^(?:[a-z]+\\.)+(?=[a-z])");

  private ModelNames() {}

  /** Trimmed and lower-cased: model ids are matched case-insensitively. */
  static String normalize(String name) {
    return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * The variants of a normalized model name to try when it matches no id or alias, most specific
   * first, without the name itself: {@code openai/gpt-4o-2024-11-20} gives {@code
   * gpt-4o-2024-11-20}, then {@code gpt-4o}.
   */
  static List<String> tolerantForms(String name) {
    Set<String> forms = new LinkedHashSet<>();
    String base = name;
    int slash = base.lastIndexOf('/');
    if (slash >= 0 && slash < base.length() - 1) {
      base = base.substring(slash + 1); // openai/gpt-4o, models/gemini-2.5-pro, publishers/…/models/x
      forms.add(base);
    }
    String undotted = DOTTED_VENDOR.matcher(base).replaceFirst("");
    if (!undotted.isEmpty() && !undotted.equals(base)) {
      base = undotted;
      forms.add(base);
    }
    int at = base.indexOf('@');
    if (at > 0) {
      base = base.substring(0, at); // Vertex AI: claude-sonnet-4-5@20250929
      forms.add(base);
    }
    String current = base;
    boolean peeled = true;
    while (peeled) {
      peeled = false;
      for (Pattern suffix : SUFFIXES) {
        String shorter = suffix.matcher(current).replaceFirst("");
        if (!shorter.equals(current) && !shorter.isEmpty()) {
          current = shorter;
          forms.add(current);
          peeled = true;
          break;
        }
      }
    }
    forms.remove(name);
    return new ArrayList<>(forms);
  }
}
