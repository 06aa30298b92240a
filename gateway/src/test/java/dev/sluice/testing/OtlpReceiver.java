package dev.sluice.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real OTLP/HTTP trace receiver: a Vert.x server on a loopback port that accepts
 * {@code POST /v1/traces} in protobuf, as a collector does, and keeps every span it gets. Tests
 * wait on a condition ({@link #awaitSpans}); nothing sleeps for a fixed time.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** One received span, flattened: ids in hex, attributes as Java values (String, Long, Double, Boolean, List). */
  public record ReceivedSpan(String name, String kind, String traceId, String spanId, String parentSpanId,
      long startEpochNanos, long endEpochNanos, boolean error, Map<String, Object> attributes,
      Map<String, Object> resource, String scope, String schemaUrl) {

    public Object attr(String key) {
      return attributes.get(key);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<byte[]> rawExports = new ArrayList<>();
  private int exports;

  public OtlpReceiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!"/v1/traces".equals(req.path())) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.body().onSuccess(body -> {
        try {
          synchronized (this) {
            rawExports.add(body.getBytes());
          }
          receive(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        } catch (Exception e) {
          req.response().setStatusCode(400).end(e.toString());
          return;
        }
        req.response().putHeader("content-type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The collector's base URL, as {@code otlp.endpoint} (or OTEL_EXPORTER_OTLP_ENDPOINT) names it. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private synchronized void receive(ExportTraceServiceRequest request) {
    exports++;
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(new ReceivedSpan(s.getName(), s.getKind().name(), hex.formatHex(s.getTraceId().toByteArray()),
              hex.formatHex(s.getSpanId().toByteArray()), hex.formatHex(s.getParentSpanId().toByteArray()),
              s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              s.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR,
              attributes(s.getAttributesList()), resource, ss.getScope().getName(), ss.getSchemaUrl()));
        }
      }
    }
    notifyAll();
  }

  private static Map<String, Object> attributes(Resource r) {
    return attributes(r.getAttributesList());
  }

  private static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
      default -> v.toString();
    };
  }

  /** Every span received so far. */
  public synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The body of every export request, as received (protobuf): spans, events, status texts, resource. */
  public synchronized List<byte[]> rawExports() {
    return List.copyOf(rawExports);
  }

  /** How many export requests arrived (an empty one counts too). */
  public synchronized int exports() {
    return exports;
  }

  /** Waits until {@code count} spans matching {@code which} arrived; fails after {@code timeout}. */
  public synchronized List<ReceivedSpan> awaitSpans(int count, Predicate<ReceivedSpan> which, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ReceivedSpan> matching = spans.stream().filter(which).toList();
      if (matching.size() >= count) {
        return matching;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " spans, got " + matching.size() + ": " + spans);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  public List<ReceivedSpan> awaitSpans(int count) throws InterruptedException {
    return awaitSpans(count, s -> true, Duration.ofSeconds(30));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
