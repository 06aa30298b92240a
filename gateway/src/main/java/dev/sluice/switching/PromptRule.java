package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A target's {@code system_prompt} edit with a logic-less template. {@code {{name}}} is replaced by
 * the variable's text and nothing else happens: no expressions, no sections, no escaping rules, and a
 * value is inserted as it is, never read again as a template (a client's {@code metadata} holding
 * {@code {{key_name}}} stays that literal text). Variables: {@code key_name}, {@code team},
 * {@code model} ({@link RequestFacts}), then the string values of the request body's {@code metadata}
 * object; an unknown variable, or a metadata value that is not a string, is the empty string.
 *
 * <p>The edit acts on the first {@code system} (or {@code developer}) message: {@code prepend} and
 * {@code append} join the text to it with a blank line, {@code replace} removes every system and
 * developer message and puts the text first. With no system message, each creates one, first.
 *
 * @param parts the template, split at load: even indexes literal text, odd indexes variable names
 */
public record PromptRule(Mode mode, List<String> parts) {
  /** Where the text goes. */
  public enum Mode { PREPEND, APPEND, REPLACE }

  private static final String SEPARATOR = "\n\n";

  public PromptRule {
    Objects.requireNonNull(mode, "mode");
    parts = List.copyOf(parts);
    if (parts.size() % 2 != 1) {
      throw new IllegalArgumentException("template parts alternate text and names, starting and ending with text");
    }
  }

  /** @param mode {@code prepend}, {@code append} or {@code replace} */
  public static PromptRule of(String mode, List<String> parts) {
    return new PromptRule(Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), parts);
  }

  /** The header's name for this edit: {@code system_prompt:prepend}. */
  String label() {
    return "system_prompt:" + mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The template with its variables replaced, in one pass. */
  String render(ChatCompletionRequest request, RequestFacts facts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    JsonNode metadata = request.extra().get("metadata");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (i % 2 == 0) {
        sb.append(part);
        continue;
      }
      String value = RequestFacts.isBuiltIn(part) ? facts.builtIn(part) : fromMetadata(metadata, part);
      if (value != null) {
        sb.append(value);
      }
    }
    return sb.toString();
  }

  private static String fromMetadata(JsonNode metadata, String name) {
    if (metadata == null || !metadata.isObject()) {
      return null;
    }
    JsonNode v = metadata.get(name);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** Applies the edit to {@code w}'s messages; records it unless it changed nothing. */
  void apply(WorkingRequest w, RequestFacts facts) {
    String text = render(w.original(), facts);
    List<ChatMessage> in = w.messages();
    int first = -1;
    for (int i = 0; i < in.size(); i++) {
      if (isSystem(in.get(i))) {
        first = i;
        break;
      }
    }
    List<ChatMessage> out = new ArrayList<>(in.size() + 1);
    if (mode == Mode.REPLACE) {
      out.add(ChatMessage.of("system", text));
      for (ChatMessage m : in) {
        if (!isSystem(m)) {
          out.add(m);
        }
      }
    } else if (text.isEmpty()) {
      return;
    } else if (first < 0) {
      out.add(ChatMessage.of("system", text));
      out.addAll(in);
    } else {
      out.addAll(in);
      out.set(first, joined(in.get(first), text, mode == Mode.PREPEND));
    }
    w.messages(out);
    w.changed(label());
  }

  private static boolean isSystem(ChatMessage m) {
    return "system".equals(m.role()) || "developer".equals(m.role());
  }

  private static ChatMessage joined(ChatMessage m, String text, boolean before) {
    MessageContent c = m.content();
    MessageContent content;
    if (c == null) {
      content = MessageContent.text(text);
    } else if (c.text() != null) {
      content = MessageContent.text(before ? text + SEPARATOR + c.text() : c.text() + SEPARATOR + text);
    } else {
      List<ContentPart> parts = new ArrayList<>(c.parts().size() + 1);
      if (before) {
        parts.add(ContentPart.text(text + SEPARATOR));
        parts.addAll(c.parts());
      } else {
        parts.addAll(c.parts());
        parts.add(ContentPart.text(SEPARATOR + text));
      }
      content = MessageContent.parts(parts);
    }
    return new ChatMessage(m.role(), content, m.name(), m.toolCalls(), m.toolCallId(), m.reasoningContent());
  }
}
