package dev.sluice.server;

import dev.sluice.testing.GatewayProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Client threads for {@link MultiReplicaEndToEndTest}: each sends requests one after the other to
 * one replica and records every request it sent ({@link Sent}) with its own {@code x-request-id},
 * which the prompt carries too ({@code rid=<id>}) so the fake upstream can count each request's
 * attempts. A request that gets no answer (the replica was killed under it, or is down) is recorded
 * unanswered; the thread then waits for the replica's {@link #markDown gate} to open again.
 */
final class ReplicaLoad {
  /** What a client sent and what it got; {@code answeredNanos} is -1 when no answer came. */
  record Sent(String rid, String kind, int replica, int incarnation, long sentNanos, long answeredNanos, int status,
      String body) {
    boolean answered() {
      return answeredNanos >= 0;
    }
  }

  private final List<GatewayProcess> replicas;
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicReferenceArray<CountDownLatch> up;
  private final List<Thread> threads = new ArrayList<>();

  ReplicaLoad(List<GatewayProcess> replicas) {
    this.replicas = replicas;
    this.up = new AtomicReferenceArray<>(replicas.size());
    for (int i = 0; i < replicas.size(); i++) {
      up.set(i, new CountDownLatch(0));
    }
  }

  /** One kind of client: how it shapes its requests. */
  interface Shape {
    /** The request body for request number {@code n} whose id is {@code rid}. */
    String body(int n, String rid);
  }

  /**
   * Starts a client thread on replica {@code replica}; request number n is sent with key
   * {@code keys[n % keys.length]}. After a {@code 429} it
   * waits {@code pauseAfter429} before the next request (a paced client, so refused requests do not
   * turn into a busy loop on a 2-core machine); it stops after {@code maxRefusals} 429s, or at
   * {@link #stop()}.
   */
  void client(String kind, int replica, List<String> keys, Shape shape, Duration pauseAfter429, int maxRefusals) {
    Thread t = new Thread(() -> run(kind, replica, keys, shape, pauseAfter429, maxRefusals), kind + "-" + replica);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void run(String kind, int replica, List<String> keys, Shape shape, Duration pauseAfter429, int maxRefusals) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    GatewayProcess g = replicas.get(replica);
    int refusals = 0;
    while (!stop.get() && refusals < maxRefusals) {
      int n = ids.incrementAndGet();
      String rid = kind + "-" + n;
      int incarnation = g.incarnation();
      long at = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.url("/v1/chat/completions")))
            .header("authorization", "Bearer " + keys.get(n % keys.size())).header("content-type", "application/json")
            .header("x-request-id", rid).timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(shape.body(n, rid))).build(), HttpResponse.BodyHandlers.ofString());
        sent.add(new Sent(rid, kind, replica, incarnation, at, System.nanoTime(), r.statusCode(), r.body()));
        if (r.statusCode() == 429) {
          refusals++;
          Thread.sleep(pauseAfter429.toMillis()); // pacing of this client, not a wait for a condition
        }
      } catch (IOException e) {
        sent.add(new Sent(rid, kind, replica, incarnation, at, -1, 0, e.toString()));
        awaitUp(replica);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void awaitUp(int replica) {
    try {
      // Bounded: a replica that never comes back fails the test elsewhere; this thread just ends.
      if (!up.get(replica).await(120, TimeUnit.SECONDS)) {
        stop.set(true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Before killing {@code replica}: its clients wait (after their failed request) until {@link #markUp}. */
  void markDown(int replica) {
    up.set(replica, new CountDownLatch(1));
  }

  void markUp(int replica) {
    up.get(replica).countDown();
  }

  /** Stops every client and waits for them (each finishes the request it is in). */
  void stop() throws InterruptedException {
    stop.set(true);
    for (int i = 0; i < replicas.size(); i++) {
      markUp(i);
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(90));
    }
  }

  /** Every request sent so far. */
  List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** Answers with {@code status} of {@code kind} from {@code replica} in {@code incarnation} (0: any). */
  long answered(String kind, int replica, int incarnation, int status) {
    return sent.stream().filter(s -> s.kind().equals(kind) && s.replica() == replica && s.status() == status
        && (incarnation == 0 || s.incarnation() == incarnation)).count();
  }
}
