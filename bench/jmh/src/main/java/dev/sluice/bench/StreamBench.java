package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.upstream.SseEvent;
import dev.sluice.upstream.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bytes → chunks, per SSE event. Each invocation runs one whole streamed answer of {@link #DELTAS}
 * content deltas (plus the framing events around them) through a fresh framer / translator, fed one
 * event-sized Buffer at a time as the network delivers them; {@code @OperationsPerInvocation} turns
 * the result into time and allocation per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamBench {
  static final int DELTAS = 64;
  static final int OPENAI_EVENTS = DELTAS + 4;     // role, deltas, finish, usage, [DONE]
  static final int ANTHROPIC_EVENTS = DELTAS + 6;  // start, block start, ping, deltas, block stop, delta, stop

  private List<Buffer> openAi;
  private List<Buffer> anthropic;
  private ChatRequest request;
  private final ProviderAdapter openAiAdapter = OpenAiAdapter.instance();
  private final ProviderAdapter anthropicAdapter = AnthropicAdapter.create();

  @Setup
  public void setUp() throws Exception {
    openAi = StreamFixtures.openAi(DELTAS);
    anthropic = StreamFixtures.anthropic(DELTAS);
    JsonNode body = Json.parse(("{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Tell me a story.\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    request = new ChatRequest(OpenAiRequestCodec.decode(body));
  }

  /** SSE framing alone: bytes → events. */
  @Benchmark
  @OperationsPerInvocation(OPENAI_EVENTS)
  public void sseFraming(Blackhole bh) {
    SseFramer framer = new SseFramer();
    Consumer<SseEvent> out = bh::consume;
    for (Buffer b : openAi) {
      framer.feed(b, out);
    }
    framer.end(out);
  }

  /** OpenAI-format stream: bytes → framed events → parsed canonical chunks (verbatim bytes kept). */
  @Benchmark
  @OperationsPerInvocation(OPENAI_EVENTS)
  public void openAiStreamTranslation(Blackhole bh) {
    StreamTranslator t = openAiAdapter.newStreamTranslator(request);
    Consumer<ChatChunk> out = bh::consume;
    for (Buffer b : openAi) {
      t.onBytes(b, out);
    }
    t.onEnd(out);
    bh.consume(t.usage());
  }

  /** Anthropic Messages stream: bytes → events → canonical (OpenAI-shaped) chunks. */
  @Benchmark
  @OperationsPerInvocation(ANTHROPIC_EVENTS)
  public void anthropicStreamTranslation(Blackhole bh) {
    StreamTranslator t = anthropicAdapter.newStreamTranslator(request);
    Consumer<ChatChunk> out = bh::consume;
    for (Buffer b : anthropic) {
      t.onBytes(b, out);
    }
    t.onEnd(out);
    bh.consume(t.usage());
  }
}
