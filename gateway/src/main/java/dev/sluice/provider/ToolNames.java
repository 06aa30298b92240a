package dev.sluice.provider;

import dev.sluice.api.openai.WireFormatException;
import java.util.regex.Pattern;

/**
 * The tool-name rule OpenAI and Anthropic share ({@code ^[a-zA-Z0-9_-]{1,64}$}). A name another
 * provider allowed (Gemini takes dots and colons, MCP servers use them) is refused here with the
 * tool named, rather than sent for the provider to refuse: renaming it would change the name the
 * model calls and the client dispatches on.
 */
public final class ToolNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private ToolNames() {}

  /** @throws WireFormatException at {@code param} when {@code name} breaks the rule */
  public static void check(String name, String param, String provider) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new WireFormatException(param, "tool name '" + name + "' is not accepted by provider " + provider
          + " (letters, digits, '_' and '-' only; 1 to 64 characters)");
    }
  }
}
