package dev.sluice.api.openai;

import java.util.List;

/** A message's content: either a plain string or a list of typed parts (text, image, ...). */
public record MessageContent(String text, List<ContentPart> parts) {

  public MessageContent {
    if ((text == null) == (parts == null)) {
      throw new IllegalArgumentException("content is either text or parts");
    }
    parts = parts == null ? null : List.copyOf(parts);
  }

  public static MessageContent text(String text) {
    return new MessageContent(text, null);
  }

  public static MessageContent parts(List<ContentPart> parts) {
    return new MessageContent(null, parts);
  }

  /** The text of this content: the string, or the text parts joined (other parts skipped). */
  public String joinedText() {
    if (text != null) {
      return text;
    }
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : parts) {
      if (part.text() != null) {
        sb.append(part.text());
      }
    }
    return sb.toString();
  }
}
