package dev.sluice.bench;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic streamed answers, one Buffer per SSE event as a provider writes them: OpenAI's chat
 * completion chunks (role chunk, content deltas, finish chunk, usage chunk, [DONE]) and Anthropic's
 * Messages events (message_start, content_block_start, ping, text deltas, content_block_stop,
 * message_delta, message_stop).
 */
final class StreamFixtures {
  static final String[] WORDS = ("Once upon a time in a quiet valley there lived a gateway that relayed every "
      + "token the moment it arrived and never made anyone wait for the next one").split(" ");

  private StreamFixtures() {}

  static List<Buffer> openAi(int contentDeltas) {
    List<Buffer> events = new ArrayList<>();
    String head = "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":";
    events.add(event(head + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"));
    for (int i = 0; i < contentDeltas; i++) {
      String piece = (i == 0 ? "" : " ") + WORDS[i % WORDS.length];
      events.add(event(head + "{\"content\":\"" + piece + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"));
    }
    events.add(event(head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}"));
    events.add(event("{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[],\"usage\":"
        + "{\"prompt_tokens\":24,\"completion_tokens\":" + contentDeltas + ",\"total_tokens\":" + (24 + contentDeltas)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}"));
    events.add(Buffer.buffer("data: [DONE]\n\n"));
    return events;
  }

  static List<Buffer> anthropic(int contentDeltas) {
    List<Buffer> events = new ArrayList<>();
    events.add(named("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}}}"));
    events.add(named("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    events.add(named("ping", "{\"type\": \"ping\"}"));
    for (int i = 0; i < contentDeltas; i++) {
      String piece = (i == 0 ? "" : " ") + WORDS[i % WORDS.length];
      events.add(named("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
    }
    events.add(named("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    events.add(named("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + contentDeltas + "}}"));
    events.add(named("message_stop", "{\"type\":\"message_stop\"}"));
    return events;
  }

  static Buffer concat(List<Buffer> events) {
    Buffer all = Buffer.buffer();
    events.forEach(all::appendBuffer);
    return all;
  }

  private static Buffer event(String json) {
    return Buffer.buffer("data: " + json + "\n\n");
  }

  private static Buffer named(String name, String json) {
    return Buffer.buffer("event: " + name + "\ndata: " + json + "\n\n");
  }
}
