package dev.sluice.testing;

import java.util.List;

/** OpenAI wire bodies in the shapes the API reference documents, for scripting fake upstreams. */
public final class OpenAiFixtures {
  private OpenAiFixtures() {}

  public static final String COMPLETION = """
      {"id":"chatcmpl-abc123","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?","refusal":null,
       "annotations":[]},"logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
       "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},
       "completion_tokens_details":{"reasoning_tokens":2,"audio_tokens":0}},
       "service_tier":"default","system_fingerprint":"fp_06737a9306"}""";

  public static String chunk(String deltaJson, String finishReason) {
    return "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + deltaJson
        + ",\"logprobs\":null,\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
        + "}]}";
  }

  public static final String USAGE_CHUNK = "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1741569952,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
      + "\"completion_tokens\":3,\"total_tokens\":12}}";

  /** role, "Hel", "lo", "!", finish, usage. */
  public static List<String> helloStream() {
    return List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), chunk("{\"content\":\"Hel\"}", null),
        chunk("{\"content\":\"lo\"}", null), chunk("{\"content\":\"!\"}", null), chunk("{}", "stop"), USAGE_CHUNK);
  }

  public static final String SIMPLE_REQUEST =
      "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  public static String streamRequest(boolean includeUsage) {
    return "{\"model\":\"chat\",\"stream\":true," + (includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }
}
