package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.NOW;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.fixture;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.newTranslator;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.replay;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.replayWhole;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.StreamTranslator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicStreamTranslatorTest {
  private static final String MODEL = "claude-sonnet-4-5-20250929";
  private static final long CREATED = NOW.getEpochSecond();
  private static final List<String> FIXTURES = List.of("text", "tool_use_after_text", "two_tool_calls", "thinking",
      "error_mid_stream", "malformed_tool_arguments", "tool_call_cut_by_max_tokens");

  private static byte[] stream(String name) {
    return fixture("stream/" + name + ".sse");
  }

  private static ChatChunk chunk(String id, Delta delta, String finish) {
    return ChatChunk.of(new ChatCompletionChunk(id, CREATED, MODEL, List.of(new ChunkChoice(0, delta, finish)), null, null), null);
  }

  private static Delta content(String text) {
    return new Delta(null, text, null, null);
  }

  @Test
  void aTextStreamBecomesRoleContentFinishAndUsageChunks() {
    String id = "msg_01XFDUDYJgAACzvnptvVoYEL";
    StreamTranslator translator = newTranslator();

    List<ChatChunk> chunks = replay(translator, stream("text"), List.of());

    assertThat(chunks).containsExactly(
        chunk(id, new Delta("assistant", "", null, null), null),
        chunk(id, content("Grüß dich"), null),
        chunk(id, content(", schön dich zu sehen 👋"), null),
        chunk(id, new Delta(null, null, null, null), "stop"),
        ChatChunk.of(new ChatCompletionChunk(id, CREATED, MODEL, List.of(), new Usage(25, 15, 40, 0L, 0L), null), null));
    assertThat(chunks.get(4).isUsageOnly()).isTrue();
    assertThat(translator.completed()).isTrue();
    assertThat(translator.usage()).isEqualTo(new TokenUsage(25, 15, 0, 0, 0));
  }

  @Test
  void aToolCallAfterATextBlockIsOpenAiToolIndexZero() {
    String id = "msg_014p7gG3wDgGV9EUtLvnow3U";
    List<ChatChunk> chunks = replayWhole(stream("tool_use_after_text"));

    assertThat(chunks).containsExactly(
        chunk(id, new Delta("assistant", "", null, null), null),
        chunk(id, content("Let me check"), null),
        chunk(id, content(" the weather in San Francisco."), null),
        chunk(id, tool(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "function", "get_weather", ""), null),
        chunk(id, tool(0, null, null, null, "{\"location\":"), null),
        chunk(id, tool(0, null, null, null, " \"San Francisco, CA\""), null),
        chunk(id, tool(0, null, null, null, ", \"unit\": \"celsius\"}"), null),
        chunk(id, new Delta(null, null, null, null), "tool_calls"),
        ChatChunk.of(new ChatCompletionChunk(id, CREATED, MODEL, List.of(), new Usage(472, 89, 561, 0L, 0L), null), null));
  }

  @Test
  void twoToolCallsAfterTextAreIndexesZeroAndOne() {
    List<ChatChunk> chunks = replayWhole(stream("two_tool_calls"));

    Map<Integer, String> ids = new TreeMap<>();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    for (ChatChunk c : chunks) {
      if (c.chunk() != null && !c.chunk().choices().isEmpty() && c.chunk().choices().get(0).delta().toolCalls() != null) {
        for (ToolCallDelta t : c.chunk().choices().get(0).delta().toolCalls()) {
          if (t.id() != null) {
            ids.put(t.index(), t.id());
          }
          arguments.computeIfAbsent(t.index(), k -> new StringBuilder()).append(t.arguments());
        }
      }
    }
    assertThat(ids).containsExactly(Map.entry(0, "toolu_01Weather0000000000000001"), Map.entry(1, "toolu_01Time000000000000000002"));
    assertThat(arguments.get(0).toString()).isEqualTo("{\"location\": \"Paris\"}");
    assertThat(arguments.get(1).toString()).isEqualTo("{\"timezone\": \"Europe/Paris\"}");
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
  }

  @Test
  void thinkingStreamsAsReasoningContentAndCachedTokensCountAsPrompt() {
    StreamTranslator translator = newTranslator();
    List<ChatChunk> chunks = replay(translator, stream("thinking"), List.of());

    StringBuilder reasoning = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (ChatChunk c : chunks) {
      for (ChunkChoice choice : c.chunk().choices()) {
        if (choice.delta().reasoningContent() != null) {
          reasoning.append(choice.delta().reasoningContent());
        }
        if (choice.delta().content() != null) {
          text.append(choice.delta().content());
        }
      }
    }
    assertThat(reasoning.toString()).isEqualTo("27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231.");
    assertThat(text.toString()).isEqualTo("27 × 453 = 12,231");
    assertThat(chunks.toString()).doesNotContain("EqQBCgIYAhIM"); // the signature stays with Anthropic
    assertThat(translator.usage()).isEqualTo(new TokenUsage(1550, 212, 1200, 300, 0));
    Usage last = chunks.get(chunks.size() - 1).chunk().usage();
    assertThat(last.promptTokens()).isEqualTo(1550);
    assertThat(last.cachedTokens()).isEqualTo(1200);
  }

  @Test
  void anOverloadedErrorMidStreamEndsTheStreamWithA503Failure() {
    StreamTranslator translator = newTranslator();
    List<ChatChunk> chunks = replay(translator, stream("error_mid_stream"), List.of());

    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(1).chunk().choices().get(0).delta().content()).isEqualTo("Once upon a");
    ApiError error = chunks.get(2).error();
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.message()).contains("Overloaded");
    assertThat(translator.completed()).isFalse();
    assertThat(translator.usage().input()).isEqualTo(18);
  }

  @Test
  void otherErrorsMidStreamAre502AndNeverLeakAKey() {
    String body = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"Internal error for key sk-ant-api03-abcdefghijklmnop\"}}\n\n";

    List<ChatChunk> chunks = replayWhole(body.getBytes(StandardCharsets.UTF_8));

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).error().status()).isEqualTo(502);
    assertThat(chunks.get(0).error().message()).contains("Internal error").doesNotContain("abcdefghijklmnop");
  }

  @Test
  void toolArgumentsThatAreNotJsonEndTheStreamWithAFailureInsteadOfAStop() {
    StreamTranslator translator = newTranslator();
    List<ChatChunk> chunks = replay(translator, stream("malformed_tool_arguments"), List.of());

    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.error()).isNotNull();
    assertThat(last.error().message()).isEqualTo("malformed tool call from provider");
    assertThat(finishReasons(chunks)).isEmpty();
    assertThat(translator.completed()).isFalse();
  }

  @Test
  void toolArgumentsCutByTheTokenLimitFinishWithLength() {
    StreamTranslator translator = newTranslator();
    List<ChatChunk> chunks = replay(translator, stream("tool_call_cut_by_max_tokens"), List.of());

    assertThat(chunks).allSatisfy(c -> assertThat(c.error()).isNull());
    assertThat(finishReasons(chunks)).containsExactly("length");
    assertThat(translator.completed()).isTrue();
  }

  @Test
  void aToolCallWithoutArgumentsGetsAnEmptyJsonObject() {
    String body = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"" + MODEL
        + "\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_now\",\"name\":\"now\",\"input\":{}}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}")
        + event("message_stop", "{\"type\":\"message_stop\"}");

    List<ChatChunk> chunks = replayWhole(body.getBytes(StandardCharsets.UTF_8));

    assertThat(chunks.get(1)).isEqualTo(chunk("msg_1", tool(0, "toolu_now", "function", "now", ""), null));
    assertThat(chunks.get(2)).isEqualTo(chunk("msg_1", tool(0, null, null, null, "{}"), null));
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
  }

  @Test
  void aStreamCutBeforeMessageStopIsNotCompleted() {
    byte[] whole = stream("text");
    String text = new String(whole, StandardCharsets.UTF_8);
    byte[] cut = text.substring(0, text.indexOf("event: message_delta")).getBytes(StandardCharsets.UTF_8);
    StreamTranslator translator = newTranslator();

    List<ChatChunk> chunks = replay(translator, cut, List.of());

    assertThat(translator.completed()).isFalse();
    assertThat(chunks).allSatisfy(c -> assertThat(c.error()).isNull());
    assertThat(translator.usage().input()).isEqualTo(25);
  }

  @Test
  void anEventThatIsNotJsonEndsTheStreamWithAFailure() {
    List<ChatChunk> chunks = replayWhole("event: content_block_delta\ndata: {\"type\":\n\n".getBytes(StandardCharsets.UTF_8));

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).error().status()).isEqualTo(502);
  }

  @Test
  void crlfLineEndingsGiveTheSameChunks() {
    String lf = new String(stream("tool_use_after_text"), StandardCharsets.UTF_8);
    byte[] crlf = lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    assertThat(replayWhole(crlf)).isEqualTo(replayWhole(stream("tool_use_after_text")));
    assertThat(replay(newTranslator(), crlf, everyByte(crlf.length))).isEqualTo(replayWhole(stream("tool_use_after_text")));
  }

  static Stream<Arguments> splits() {
    List<Arguments> cases = new ArrayList<>();
    for (String name : FIXTURES) {
      cases.add(Arguments.of(name, "1-byte slices", -1L));
      for (long seed = 1; seed <= 6; seed++) {
        cases.add(Arguments.of(name, "random cuts", seed));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1} {2}")
  @MethodSource("splits")
  void anySplitOfTheBytesGivesIdenticalChunks(String name, String how, long seed) {
    byte[] bytes = stream(name);
    StreamTranslator whole = newTranslator();
    List<ChatChunk> expected = replay(whole, bytes, List.of());
    List<Integer> cuts = seed < 0 ? everyByte(bytes.length) : randomCuts(bytes.length, new Random(seed));
    StreamTranslator sliced = newTranslator();

    List<ChatChunk> actual = replay(sliced, bytes, cuts);

    assertThat(expected).isNotEmpty();
    assertThat(actual).isEqualTo(expected);
    assertThat(sliced.completed()).isEqualTo(whole.completed());
    assertThat(sliced.usage()).isEqualTo(whole.usage());
  }

  @ParameterizedTest(name = "{0}: {1} {2}")
  @MethodSource("splits")
  void theChunksCarryEveryUpstreamFrameForTheAnthropicFrontWhateverTheSplit(String name, String how, long seed) {
    byte[] bytes = stream(name);
    List<Integer> cuts = seed < 0 ? everyByte(bytes.length) : randomCuts(bytes.length, new Random(seed));
    String frames = AnthropicTestSupport.framesOf(newTranslator(), bytes, cuts);
    String original = new String(bytes, StandardCharsets.UTF_8);
    if (name.equals("error_mid_stream") || name.equals("malformed_tool_arguments")) {
      // a failing stream: the frames before the failure's, then the front writes its own error event
      assertThat(original).startsWith(frames);
    } else {
      assertThat(frames).isEqualTo(original.endsWith("\n\n") ? original : original + "\n");
    }
  }

  private static List<Integer> everyByte(int length) {
    return IntStream.range(1, length).boxed().toList();
  }

  private static List<Integer> randomCuts(int length, Random random) {
    TreeSet<Integer> cuts = new TreeSet<>();
    int count = 1 + random.nextInt(Math.max(1, length / 8));
    for (int i = 0; i < count; i++) {
      cuts.add(1 + random.nextInt(length - 1));
    }
    return List.copyOf(cuts);
  }

  private static Delta tool(int index, String id, String type, String name, String arguments) {
    return new Delta(null, null, null, List.of(new ToolCallDelta(index, id, type, name, arguments)));
  }

  private static List<String> finishReasons(List<ChatChunk> chunks) {
    List<String> reasons = new ArrayList<>();
    for (ChatChunk c : chunks) {
      if (c.chunk() != null) {
        c.chunk().choices().stream().map(ChunkChoice::finishReason).filter(r -> r != null).forEach(reasons::add);
      }
    }
    return reasons;
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }
}
