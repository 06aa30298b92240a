package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.admission.AdaptiveLimits;
import dev.sluice.admission.AdmissionQueue;
import dev.sluice.admission.AdmissionTimers;
import dev.sluice.admission.InFlightGuard;
import dev.sluice.admission.LocalRateLimiter;
import dev.sluice.admission.TokenEstimator;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.core.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long prompt never counted before is tokenized on a worker thread, not on the event loop that
 * serves the request's neighbours; every other estimate is answered at once, on the caller's thread.
 */
class PromptEstimateOffLoopTest {
  private static Vertx vertx;
  private static FlowControl flow;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1)); // one worker: onEventLoop holds it
    Ticker ticker = Ticker.system();
    flow = new FlowControl(new LocalRateLimiter(ticker),
        new AdmissionQueue(100, Duration.ofSeconds(1), ticker, AdmissionTimers.vertx(vertx)), new InFlightGuard(100),
        new AdaptiveLimits(() -> AdaptiveLimit.gatewayDefault(ticker)), new TokenEstimator(), Map.of(), Map.of(),
        Map.of(), Map.of());
    new TokenEstimator().warmUp();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** What one call on an event loop saw: done when it returned, the estimate, where it completed. */
  private record Seen(boolean completeOnReturn, long tokens, boolean completedOnEventLoop, Context returnedTo,
      Context calledFrom) {}

  private static Seen onEventLoop(ChatRequest request) throws Exception {
    // The one worker thread is held until the call has returned, so an estimate handed to a worker
    // cannot be finished (on a busy machine, before the event loop looks) and read as answered at once.
    CountDownLatch workerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    vertx.executeBlocking(() -> {
      workerHeld.countDown();
      return release.await(30, TimeUnit.SECONDS);
    }, false);
    assertThat(workerHeld.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Future<Long> f = flow.estimateInput(request);
      boolean complete = f.isComplete();
      release.countDown();
      f.onComplete(ar -> {
        if (ar.failed()) {
          seen.completeExceptionally(ar.cause());
        } else {
          seen.complete(new Seen(complete, ar.result(), Context.isOnEventLoopThread(), Vertx.currentContext(), context));
        }
      });
    });
    return seen.get(30, TimeUnit.SECONDS);
  }

  /** ~24 kB of words that no other test (and no earlier run of this one) has sent. */
  private static String freshPrompt() {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 24_000) {
      sb.append("Quarterly revenue grew in region ").append(UUID.randomUUID()).append(" while churn fell. ");
    }
    return sb.toString();
  }

  private static ChatRequest request(String model, String... texts) throws Exception {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (String text : texts) {
      messages.addObject().put("role", "user").put("content", text);
    }
    return new ChatRequest(OpenAiRequestCodec.decode(body));
  }

  private static long expected(String... texts) {
    long tokens = 3; // the reply's priming
    for (String text : texts) {
      tokens += 3 + TokenEstimator.o200k().countTokensOrdinary(text); // per message, its text
    }
    return tokens;
  }

  @Test
  void aLongFreshPromptIsCountedOffTheEventLoopAndTheEstimateComesBackToIt() throws Exception {
    String prompt = freshPrompt();
    Seen seen = onEventLoop(request("gpt-4o-mini", prompt, "Summarise the above."));

    assertThat(seen.completeOnReturn()).as("not counted on the event loop").isFalse();
    assertThat(seen.tokens()).isEqualTo(expected(prompt, "Summarise the above."));
    assertThat(seen.completedOnEventLoop()).isTrue();
    assertThat(seen.returnedTo()).as("the request goes on on its own event loop").isSameAs(seen.calledFrom());
  }

  @Test
  void aPromptCountedLatelyShortPromptsAndCharacterEstimatesAreAnsweredAtOnce() throws Exception {
    String prompt = freshPrompt();
    assertThat(onEventLoop(request("gpt-4o-mini", prompt)).completeOnReturn()).isFalse();

    Seen again = onEventLoop(request("gpt-4o-mini", new String(prompt.toCharArray())));
    assertThat(again.completeOnReturn()).as("remembered: nothing left to count").isTrue();
    assertThat(again.tokens()).isEqualTo(expected(prompt));

    String shortFresh = freshPrompt().substring(0, 3_000);
    Seen small = onEventLoop(request("gpt-4o-mini", shortFresh));
    assertThat(small.completeOnReturn()).as("3 kB: counting costs less than the hop").isTrue();
    assertThat(small.tokens()).isEqualTo(expected(shortFresh));

    assertThat(onEventLoop(request("claude-sonnet-4-5", freshPrompt())).completeOnReturn())
        .as("estimated by characters: no tokenizer to run").isTrue();
  }

  @Test
  void offAnEventLoopTheEstimateIsCountedOnTheCallersThread() throws Exception {
    String prompt = freshPrompt();
    Future<Long> f = flow.estimateInput(request("gpt-4o-mini", prompt));
    assertThat(f.isComplete()).isTrue();
    assertThat(f.result()).isEqualTo(expected(prompt));
  }
}
