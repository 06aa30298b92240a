package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.mock.MockUpstream;
import dev.sluice.mock.MockUpstreamOptions;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.UpstreamCall;
import dev.sluice.upstream.UpstreamClient;
import dev.sluice.upstream.UpstreamEndpoint;
import dev.sluice.core.UpstreamTimeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter's requests over real sockets to Sluice's Gemini-speaking mock upstream. */
class GeminiAdapterOverHttpTest {
  private static final String KEY = "gemini-test-key";
  private static final Target TARGET = new Target("google", "gemini-2.0-flash", 1);
  private static Vertx vertx;
  private static MockUpstream mock;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    mock = await(MockUpstream.start(vertx, MockUpstreamOptions.builder().port(0).host("127.0.0.1")
        .requiredKey(KEY).seed(7L).build()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(mock.close());
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static UpstreamClient client(String key) {
    return new UpstreamClient(vertx, new UpstreamEndpoint("google", mock.baseUrl(), key, adapter().auth(),
        Map.of(), UpstreamTimeouts.DEFAULTS, 4));
  }

  @Test
  void aWholeAnswerComesBackAsACompletion() throws Exception {
    UpstreamClient client = client(KEY);
    UpstreamCall call = client.send(adapter().encode(request("""
        {"model": "fast", "messages": [{"role": "system", "content": "Be brief."},
          {"role": "user", "content": "Say hello"}]}"""), TARGET));
    await(call.responded());
    Buffer body = await(call.body());

    assertThat(call.status()).isEqualTo(200);
    ChatResponse r = adapter().decode(body);
    assertThat(r.body().choices().get(0).message().content().text()).isNotBlank();
    assertThat(r.body().choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(r.usage().input()).isPositive();
    await(client.close());
  }

  @Test
  void aStreamedAnswerCompletesWithUsage() throws Exception {
    UpstreamClient client = client(KEY);
    ChatRequest req = request("""
        {"model": "fast", "stream": true, "messages": [{"role": "user", "content": "Tell me a story"}]}""");
    UpstreamCall call = client.send(adapter().encode(req, TARGET));
    await(call.responded());
    StreamTranslator t = adapter().newStreamTranslator(req);
    List<ChatChunk> chunks = new ArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    call.stream(slice -> t.onBytes(slice, chunks::add), v -> {
      t.onEnd(chunks::add);
      ended.complete(null);
    }, e -> ended.completeExceptionally(new AssertionError(e.message())));
    ended.get(10, TimeUnit.SECONDS);

    assertThat(call.status()).isEqualTo(200);
    assertThat(t.completed()).isTrue();
    assertThat(chunks).noneMatch(c -> c.error() != null);
    assertThat(chunks.get(0).chunk().choices().get(0).delta().role()).isEqualTo("assistant");
    assertThat(chunks.get(chunks.size() - 1).isUsageOnly()).isTrue();
    assertThat(t.usage().output()).isPositive();
    await(client.close());
  }

  @Test
  void aRejectedKeyIsClassifiedAsAuthWithoutEchoingIt() throws Exception {
    UpstreamClient client = client("wrong-key");
    UpstreamCall call = client.send(adapter().encode(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "hi"}]}"""), TARGET));
    await(call.responded());
    Buffer body = await(call.body());

    UpstreamError e = adapter().classify(call.status(), call.headers(), body);
    assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(e.message()).doesNotContain("wrong-key");
    await(client.close());
  }
}
