package dev.sluice.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Sends a bounded number of requests at a fixed concurrency to a test gateway; stops by itself. */
public final class Load {
  private Load() {}

  /** Outcome of a run: answers by status, latencies in ms, and the responses for inspection. */
  public record Result(int ok, List<Integer> statuses, List<Long> latenciesMs, List<HttpResponse<String>> responses) {
    /** The latency at percentile {@code p} (0–100), nearest rank. */
    public long percentileMs(double p) {
      List<Long> sorted = new ArrayList<>(latenciesMs);
      Collections.sort(sorted);
      int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
  }

  public static Result run(TestGateway gw, String path, String body, int requests, int concurrency) throws Exception {
    return run(gw, path, body, requests, concurrency, UnaryOperator.identity());
  }

  public static Result run(TestGateway gw, String path, String body, int requests, int concurrency,
      UnaryOperator<HttpRequest.Builder> customize) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<HttpResponse<String>> responses = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      slots.acquire();
      long start = System.nanoTime();
      HttpRequest req = customize.apply(gw.request(path).POST(HttpRequest.BodyPublishers.ofString(body))).build();
      all.add(gw.http().sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((res, err) -> {
        latencies.add((System.nanoTime() - start) / 1_000_000);
        statuses.add(err == null ? res.statusCode() : -1);
        if (res != null) {
          responses.add(res);
        }
        slots.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    int ok = (int) statuses.stream().filter(s -> s == 200).count();
    return new Result(ok, List.copyOf(statuses), List.copyOf(latencies), List.copyOf(responses));
  }
}
