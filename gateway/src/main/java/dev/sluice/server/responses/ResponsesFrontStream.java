package dev.sluice.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.pipeline.FrontStream;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Canonical chunks → the Responses stream grammar: {@code response.created} and
 * {@code response.in_progress} first; per output item {@code response.output_item.added}, then for a
 * message {@code response.content_part.added}, {@code response.output_text.delta}s,
 * {@code response.output_text.done}, {@code response.content_part.done}; for a function call
 * {@code response.function_call_arguments.delta}s and {@code .done}; for reasoning
 * {@code response.reasoning_text.delta}s and {@code .done}; then {@code response.output_item.done}
 * (an item closes when another kind starts or the answer ends). Last {@code response.completed} (or
 * {@code response.incomplete}) with the whole response and its usage. A failure after the first byte
 * is {@code response.failed} then {@code error}. Every event has its {@code sequence_number}, from 0.
 * One per request; not thread-safe; lives on the request's event loop. Once ended, writes nothing.
 *
 * <p>For a request passed through natively the upstream's own events ({@link ChatChunk#responsesSse()})
 * are relayed byte for byte instead.
 */
final class ResponsesFrontStream implements FrontStream {
  private enum Kind { NONE, TEXT, REASONING, TOOL }

  /** One function call item: the OpenAI tool index's item. */
  private static final class Call {
    final String itemId;
    final int outputIndex;
    final String callId;
    final String name;
    final StringBuilder arguments = new StringBuilder();

    Call(String itemId, int outputIndex, String callId, String name) {
      this.itemId = itemId;
      this.outputIndex = outputIndex;
      this.callId = callId;
      this.name = name;
    }
  }

  private final ChatRequest request;
  private final ResponseIds ids;
  private final ArrayNode output = JsonNodeFactory.instance.arrayNode();
  private final Map<Integer, Call> calls = new HashMap<>(4);
  private final StringBuilder text = new StringBuilder();
  private boolean started;
  private boolean finished;
  private boolean relaying;
  private int sequence;
  private String id;
  private String model;
  private long createdAt;
  private Kind open = Kind.NONE;
  private String openId;
  private Call openCall;
  private String finishReason;
  private TokenUsage chunkUsage;

  ResponsesFrontStream(ChatRequest request, ResponseIds ids) {
    this.request = request;
    this.ids = ids;
  }

  @Override
  public void onChunk(ChatChunk chunk, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    if (chunk.error() != null) {
      onError(chunk.error(), write);
      return;
    }
    if (chunk.responsesSse() != null) {
      relaying = true;
      started = true;
      sequence++;
      write.accept(chunk.responsesSse());
      return;
    }
    ChatCompletionChunk c = chunk.chunk();
    if (c == null || relaying) {
      return;
    }
    start(c.id(), c.model(), write);
    if (c.usage() != null) {
      chunkUsage = TokenUsage.fromOpenAi(c.usage());
    }
    for (ChunkChoice choice : c.choices()) {
      if (choice.index() != 0) {
        continue; // one answer: the front never asks for more choices
      }
      Delta d = choice.delta();
      if (d != null) {
        reasoning(d.reasoningContent(), write);
        text(d.content(), write);
        if (d.toolCalls() != null) {
          for (ToolCallDelta call : d.toolCalls()) {
            tool(call, write);
          }
        }
      }
      if (choice.finishReason() != null) {
        finishReason = choice.finishReason();
      }
    }
  }

  @Override
  public void onComplete(TokenUsage usage, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    finished = true;
    if (relaying) {
      return; // the upstream's own response.completed went by
    }
    start(null, null, write);
    close(write);
    TokenUsage u = usage != null && !usage.equals(TokenUsage.ZERO) ? usage : chunkUsage != null ? chunkUsage
        : TokenUsage.ZERO;
    String incomplete = ResponseObjects.incompleteReason(finishReason);
    ObjectNode response = ResponseObjects.envelope(request, id, createdAt, model,
        incomplete == null ? "completed" : "incomplete", output, u, incomplete);
    write.accept(ResponsesSse.fields(incomplete == null ? "response.completed" : "response.incomplete", sequence++,
        JsonNodeFactory.instance.objectNode().set("response", response)));
  }

  @Override
  public void onError(ApiError error, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    finished = true;
    String code = error.code() != null ? error.code() : error.type();
    if (!relaying) {
      start(null, null, write);
      ObjectNode response = ResponseObjects.envelope(request, id, createdAt, model, "failed", output, null, null);
      response.putObject("error").put("code", code == null ? "server_error" : code)
          .put("message", error.message() == null ? "" : error.message());
      write.accept(ResponsesSse.fields("response.failed", sequence++,
          JsonNodeFactory.instance.objectNode().set("response", response)));
    }
    write.accept(ResponsesSse.error(sequence++, code, error.message(), error.param()));
  }

  private void start(String completionId, String upstreamModel, Consumer<Buffer> write) {
    if (started) {
      return;
    }
    started = true;
    id = ids.responseId(completionId);
    model = upstreamModel != null && !upstreamModel.isEmpty() ? upstreamModel : request.model();
    createdAt = ids.nowSeconds();
    ObjectNode response = ResponseObjects.envelope(request, id, createdAt, model, "in_progress", null, null, null);
    write.accept(ResponsesSse.fields("response.created", sequence++,
        JsonNodeFactory.instance.objectNode().set("response", response)));
    write.accept(ResponsesSse.fields("response.in_progress", sequence++,
        JsonNodeFactory.instance.objectNode().set("response", response)));
  }

  private void text(String delta, Consumer<Buffer> write) {
    if (delta == null || delta.isEmpty()) {
      return; // OpenAI's role chunk carries content ""
    }
    if (open != Kind.TEXT) {
      open(Kind.TEXT, "msg", write);
      write.accept(added(ResponseObjects.message(openId, "in_progress", null)));
      write.accept(ResponsesSse.fields("response.content_part.added", sequence++, part(ResponseObjects.textPart(""))));
    }
    text.append(delta);
    write.accept(ResponsesSse.contentDelta("response.output_text.delta", sequence++, openId, output.size(), delta));
  }

  private void reasoning(String delta, Consumer<Buffer> write) {
    if (delta == null || delta.isEmpty()) {
      return;
    }
    if (open != Kind.REASONING) {
      open(Kind.REASONING, "rs", write);
      write.accept(added(ResponseObjects.reasoning(openId, null)));
    }
    text.append(delta);
    write.accept(ResponsesSse.contentDelta("response.reasoning_text.delta", sequence++, openId, output.size(), delta));
  }

  private void tool(ToolCallDelta delta, Consumer<Buffer> write) {
    Call call = calls.get(delta.index());
    if (call == null) {
      open(Kind.TOOL, "fc", write);
      call = new Call(openId, output.size(), ids.callId(delta.id()), delta.name() == null ? "" : delta.name());
      calls.put(delta.index(), call);
      openCall = call;
      write.accept(added(ResponseObjects.functionCall(call.itemId, call.callId, call.name, "", "in_progress")));
    }
    String fragment = delta.arguments();
    if (fragment != null && !fragment.isEmpty()) {
      call.arguments.append(fragment);
      write.accept(ResponsesSse.argumentsDelta(sequence++, call.itemId, call.outputIndex, fragment));
    }
  }

  /** Closes the open item and opens one of {@code kind} at the next output index. */
  private void open(Kind kind, String prefix, Consumer<Buffer> write) {
    close(write);
    open = kind;
    openId = ids.itemId(prefix);
    text.setLength(0);
  }

  private void close(Consumer<Buffer> write) {
    int index = output.size();
    ObjectNode item;
    switch (open) {
      case TEXT -> {
        String t = text.toString();
        write.accept(ResponsesSse.fields("response.output_text.done", sequence++, at(index)
            .put("content_index", 0).put("text", t).set("logprobs", JsonNodeFactory.instance.arrayNode())));
        write.accept(ResponsesSse.fields("response.content_part.done", sequence++, part(ResponseObjects.textPart(t))));
        item = ResponseObjects.message(openId, "completed", t);
      }
      case REASONING -> {
        write.accept(ResponsesSse.fields("response.reasoning_text.done", sequence++, at(index)
            .put("content_index", 0).put("text", text.toString())));
        item = ResponseObjects.reasoning(openId, text.toString());
      }
      case TOOL -> {
        String args = openCall.arguments.toString();
        write.accept(ResponsesSse.fields("response.function_call_arguments.done", sequence++, at(index)
            .put("name", openCall.name).put("arguments", args)));
        item = ResponseObjects.functionCall(openCall.itemId, openCall.callId, openCall.name, args, "completed");
      }
      default -> {
        return;
      }
    }
    output.add(item);
    write.accept(ResponsesSse.fields("response.output_item.done", sequence++, JsonNodeFactory.instance.objectNode()
        .put("output_index", index).set("item", item)));
    open = Kind.NONE;
  }

  private Buffer added(ObjectNode item) {
    return ResponsesSse.fields("response.output_item.added", sequence++, JsonNodeFactory.instance.objectNode()
        .put("output_index", output.size()).set("item", item));
  }

  private ObjectNode at(int index) {
    return JsonNodeFactory.instance.objectNode().put("item_id", openId).put("output_index", index);
  }

  private ObjectNode part(ObjectNode part) {
    ObjectNode o = at(output.size()).put("content_index", 0);
    o.set("part", part);
    return o;
  }
}
