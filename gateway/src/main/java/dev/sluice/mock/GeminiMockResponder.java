package dev.sluice.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gemini wire format: {@code POST /v1beta/models/{model}:generateContent} and {@code
 * :streamGenerateContent}. Each response (or stream event) is a {@code GenerateContentResponse}
 * with one candidate; in a stream every event carries one word and only the last one carries
 * {@code finishReason} and {@code usageMetadata}. With {@code ?alt=sse} the stream is SSE
 * {@code data:} lines separated by CRLF CRLF, as Google sends them; without it the stream is one
 * JSON array written piece by piece, which is Google's default. Errors are {@code {"error":{"code",
 * "message","status"}}}.
 *
 * <p>Prompt tokens count the words of {@code systemInstruction} and of every content; the last
 * content whose role is {@code user} (or absent, which Gemini treats as user) is the prompt.
 */
final class GeminiMockResponder implements MockResponder {

  private static final String PREFIX = "/v1beta/models/";
  private static final String GENERATE = "generateContent";
  private static final String STREAM = "streamGenerateContent";

  @Override
  public boolean handles(HttpMethod method, String path) {
    if (method != HttpMethod.POST || !path.startsWith(PREFIX)) {
      return false;
    }
    String action = action(path);
    return GENERATE.equals(action) || STREAM.equals(action);
  }

  @Override
  public void respond(MockExchange exchange, ObjectNode body) {
    JsonNode contents = body.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      throw new IllegalArgumentException(
          "* GenerateContentRequest.contents: contents is not specified");
    }
    List<String> texts = new ArrayList<>();
    texts.add(MockJson.textOf(body.path("systemInstruction").path("parts")));
    String lastUser = "";
    for (JsonNode content : contents) {
      String text = MockJson.textOf(content.path("parts"));
      texts.add(text);
      if ("user".equals(content.path("role").asText("user"))) {
        lastUser = text;
      }
    }
    String path = exchange.path();
    String model = URLDecoder.decode(
        path.substring(PREFIX.length(), path.lastIndexOf(':')), StandardCharsets.UTF_8);
    MockAnswer answer = exchange.answer(lastUser);
    int promptTokens = MockAnswer.promptTokens(texts);
    if (GENERATE.equals(action(path))) {
      exchange.sendJson(response(model, answer.text(), true, promptTokens, answer));
      return;
    }
    List<String> pieces = answer.streamPieces();
    List<String> frames = new ArrayList<>(pieces.size());
    boolean sse = "sse".equals(exchange.request().getParam("alt"));
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      String json = MockJson.write(response(model, pieces.get(i), last, promptTokens, answer));
      if (sse) {
        frames.add("data: " + json + "\r\n\r\n");
      } else {
        frames.add((i == 0 ? "[" : ",\r\n") + json + (last ? "]" : ""));
      }
    }
    exchange.stream(sse ? "text/event-stream" : "application/json", frames);
  }

  /** The method after the last ':' of the path, or {@code null}. */
  private static String action(String path) {
    int colon = path.lastIndexOf(':');
    return colon <= PREFIX.length() ? null : path.substring(colon + 1);
  }

  private static ObjectNode response(String model, String text, boolean last, int promptTokens,
      MockAnswer answer) {
    ObjectNode candidate = MockJson.object();
    ObjectNode content = candidate.putObject("content").put("role", "model");
    content.putArray("parts").add(MockJson.object().put("text", text));
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    ObjectNode root = MockJson.object();
    root.putArray("candidates").add(candidate);
    if (last) {
      int completion = answer.completionTokens();
      root.set("usageMetadata", MockJson.object()
          .put("promptTokenCount", promptTokens)
          .put("candidatesTokenCount", completion)
          .put("totalTokenCount", promptTokens + completion));
    }
    root.put("modelVersion", model);
    return root;
  }

  @Override
  public ObjectNode errorBody(int status, String message) {
    String statusName = switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
    ObjectNode root = MockJson.object();
    root.set("error", MockJson.object()
        .put("code", status)
        .put("message", message)
        .put("status", statusName));
    return root;
  }
}
