package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.Json;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI content parts → Gemini {@code Part}s: text, images (inline from data URLs, by reference
 * from http(s) URLs), audio and files given as data URLs, and tool results as
 * {@code functionResponse}. A part Gemini cannot take is refused with the field named, never
 * dropped in silence.
 */
final class GeminiParts {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Map<String, String> MIME_BY_EXTENSION = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
      Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"), Map.entry("mp3", "audio/mp3"),
      Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"), Map.entry("txt", "text/plain"));

  private GeminiParts() {}

  /** Appends the parts of a user message's content; empty text is skipped (Gemini refuses it). */
  static void addUserParts(MessageContent content, String path, ArrayNode out) {
    if (content == null) {
      return;
    }
    if (content.text() != null) {
      addText(content.text(), out);
      return;
    }
    for (int j = 0; j < content.parts().size(); j++) {
      ContentPart part = content.parts().get(j);
      String p = path + "[" + j + "]";
      switch (part.type()) {
        case "text" -> addText(part.text(), out);
        case "image_url" -> out.add(image(part.imageUrl(), p + ".image_url.url"));
        case "input_audio" -> out.add(audio(part.raw(), p + ".input_audio"));
        case "file" -> out.add(file(part.raw(), p + ".file"));
        default -> throw new WireFormatException(p + ".type",
            "content part type '" + part.type() + "' is not supported by Gemini");
      }
    }
  }

  static void addText(String text, ArrayNode out) {
    if (text != null && !text.isEmpty()) {
      out.addObject().put("text", text);
    }
  }

  /** A data URL becomes {@code inlineData}; an http(s) URL becomes {@code fileData}. */
  static ObjectNode image(String url, String path) {
    if (url.startsWith("data:")) {
      return inlineData(url, path);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      ObjectNode part = F.objectNode();
      part.putObject("fileData").put("mimeType", guessMimeType(url)).put("fileUri", url);
      return part;
    }
    throw new WireFormatException(path, "'" + path + "' must be an http(s) URL or a base64 data URL");
  }

  /** The MIME type a URL's extension suggests; {@code image/jpeg} when it says nothing. */
  static String guessMimeType(String url) {
    int end = url.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = url.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String path = url.substring(0, end);
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash) {
      return "image/jpeg";
    }
    return MIME_BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), "image/jpeg");
  }

  /** {@code data:<mime>;base64,<data>} → {@code inlineData}. */
  private static ObjectNode inlineData(String url, String path) {
    int comma = url.indexOf(',');
    String header = comma < 0 ? "" : url.substring("data:".length(), comma);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new WireFormatException(path, "'" + path + "' must be a base64 data URL (data:<type>;base64,<data>)");
    }
    String mime = header.substring(0, header.length() - ";base64".length());
    int param = mime.indexOf(';');
    if (param >= 0) {
      mime = mime.substring(0, param);
    }
    ObjectNode part = F.objectNode();
    part.putObject("inlineData").put("mimeType", mime.isEmpty() ? "application/octet-stream" : mime)
        .put("data", url.substring(comma + 1));
    return part;
  }

  /** OpenAI {@code input_audio: {data, format}} → {@code inlineData}. */
  private static ObjectNode audio(JsonNode raw, String path) {
    JsonNode audio = raw == null ? null : raw.get("input_audio");
    if (audio == null || !audio.path("data").isTextual()) {
      throw new WireFormatException(path + ".data", "'" + path + ".data' is required");
    }
    ObjectNode part = F.objectNode();
    part.putObject("inlineData").put("mimeType", "audio/" + audio.path("format").asText("wav"))
        .put("data", audio.get("data").textValue());
    return part;
  }

  /** OpenAI {@code file: {file_data: <data URL>}} → {@code inlineData}; uploaded file ids have no Gemini meaning. */
  private static ObjectNode file(JsonNode raw, String path) {
    JsonNode data = raw == null ? null : raw.path("file").get("file_data");
    if (data == null || !data.isTextual()) {
      throw new WireFormatException(path + ".file_data",
          "'" + path + ".file_data' is required: Gemini cannot read OpenAI file ids");
    }
    return inlineData(data.textValue(), path + ".file_data");
  }

  /**
   * A tool result as a {@code functionResponse} part. Gemini wants an object: a result that is a
   * JSON object goes as it is, anything else is wrapped as {@code {"result": text}}.
   */
  static ObjectNode functionResponse(String name, String text) {
    ObjectNode part = F.objectNode();
    ObjectNode fr = part.putObject("functionResponse").put("name", name);
    fr.putObject("response").set("content", resultObject(text));
    return part;
  }

  private static JsonNode resultObject(String text) {
    if (looksLikeObject(text)) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(text);
        if (parsed != null && parsed.isObject()) {
          return parsed;
        }
      } catch (Exception notJson) {
        // plain text that happens to start with '{'
      }
    }
    return F.objectNode().put("result", text);
  }

  private static boolean looksLikeObject(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{';
      }
    }
    return false;
  }
}
