package dev.sluice.bench;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.pipeline.PipelineBenchAccess;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.server.ServerBenchAccess;
import dev.sluice.tenancy.TenancyBenchAccess;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway's own steps of one non-streamed request, as in the throughput benchmark (the wrk body
 * of {@code bench/wrk/chat.lua}, the canned answer of {@code bench/conf/nginx-upstream.conf}):
 * decode the client's JSON, pick candidates, encode the upstream request, decode the answer, encode
 * the client's answer, record metrics, digest the client key. Network and Vert.x are left out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestBench {
  static final String REQUEST = "{\"model\":\"bench-canned\",\"messages\":[{\"role\":\"system\",\"content\":"
      + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],"
      + "\"max_tokens\":64}";
  static final String ANSWER = "{\"id\":\"chatcmpl-bench0001\",\"object\":\"chat.completion\",\"created\":1732500000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"Hello! I am a canned answer from the benchmark upstream. How can I help you today?\",\"refusal\":null},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":19,"
      + "\"total_tokens\":43,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":"
      + "{\"reasoning_tokens\":0}},\"system_fingerprint\":\"fp_bench\"}";

  /**
   * A streamed chat as most OpenAI SDK callers send it (no {@code stream_options}): a system prompt
   * and three exchanges, ~6 kB, the size of a support bot's turn.
   */
  static final String STREAM_REQUEST = streamRequest();

  private static String streamRequest() {
    String para = "Our return policy allows returns within thirty days of delivery for unused items in their "
        + "original packaging; refunds go to the original payment method within five business days. ";
    StringBuilder b = new StringBuilder("{\"model\":\"bench-stream\",\"stream\":true,\"messages\":[")
        .append("{\"role\":\"system\",\"content\":\"").append(para.repeat(6)).append("\"}");
    for (int turn = 0; turn < 3; turn++) {
      b.append(",{\"role\":\"user\",\"content\":\"Question ").append(turn).append(": ").append(para.repeat(2))
          .append("\"},{\"role\":\"assistant\",\"content\":\"").append(para.repeat(3)).append("\"}");
    }
    return b.append(",{\"role\":\"user\",\"content\":\"And for gifts?\"}],\"temperature\":0.3}").toString();
  }

  private final List<Target> targets = List.of(new Target("canned-a", "gpt-4o-mini", 3),
      new Target("canned-b", "gpt-4o-mini", 1));
  private final OpenAiAdapter adapter = OpenAiAdapter.instance();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final TokenUsage usage = new TokenUsage(24, 19, 0, 0, 0);
  private Buffer requestBody;
  private Buffer answerBody;
  private ChatRequest request;
  private ChatRequest streamRequest;
  private ChatResponse response;

  @Setup
  public void setUp() {
    requestBody = Buffer.buffer(REQUEST);
    answerBody = Buffer.buffer(ANSWER);
    request = ServerBenchAccess.parse(requestBody);
    streamRequest = ServerBenchAccess.parse(Buffer.buffer(STREAM_REQUEST));
    response = adapter.decode(answerBody);
  }

  @Benchmark
  public ChatRequest decodeRequest() {
    return ServerBenchAccess.parse(requestBody);
  }

  @Benchmark
  public Object candidates() {
    return PipelineBenchAccess.candidates(targets, request);
  }

  @Benchmark
  public UpstreamRequest encodeUpstream() {
    return adapter.encode(request, targets.get(0));
  }

  /** The upstream body of {@link #STREAM_REQUEST}: a stream without stream_options. */
  @Benchmark
  public UpstreamRequest encodeStreamUpstream() {
    return adapter.encode(streamRequest, targets.get(0));
  }

  @Benchmark
  public ChatResponse decodeAnswer() {
    return adapter.decode(answerBody);
  }

  @Benchmark
  public Buffer encodeAnswer() {
    return ServerBenchAccess.encodeResponse(request, response);
  }

  @Benchmark
  public void metrics() {
    metrics.requestStarted();
    metrics.attempt("canned-a", "gpt-4o-mini", "ok", false, 1_200_000, 1_200_000);
    metrics.tokens("bench-canned", "canned-a", usage);
    metrics.requestFinished("chat", "bench-canned", "canned-a", 200, false, 1_500_000, -1, 300_000);
  }

  @Benchmark
  public String keyDigest() {
    return TenancyBenchAccess.keyDigest("sk-sluice-bench-0001");
  }

  @Benchmark
  public String targetLabel() {
    return targets.get(0).label();
  }
}
