package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.RowKind;
import dev.sluice.store.ShadowPairRow;
import dev.sluice.store.ShadowPairStore;
import dev.sluice.switching.shadow.AnswerComparator;
import dev.sluice.switching.shadow.ShadowComparison;
import dev.sluice.switching.shadow.ShadowGate;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Finishes a shadow pair once both sides are in: compares them (and embeds both answers when
 * similarity is asked), writes the candidate's call to the ledger as {@code kind=shadow} charged
 * to the shadow account (key {@value #ACCOUNT}, no team) through the ledger writer, stores the
 * pair (JDBC on the store's workers), and settles the candidate's spend cap.
 */
final class ShadowRecorder {
  /** The key name shadow calls are charged to in the ledger: never a client's key or team. */
  static final String ACCOUNT = "shadow";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShadowRecorder.class);

  private final LedgerWriter ledger;
  private final ShadowPairStore pairs;

  ShadowRecorder(LedgerWriter ledger, ShadowPairStore pairs) {
    this.ledger = ledger;
    this.pairs = pairs;
  }

  /** @param permit the gate's permit to release with the pair's cost; null when no call was made */
  void record(Services s, String requestId, ChatRequest request, ShadowLauncher.Shadow sh, Future<ShadowSide> primary,
      Future<ShadowSide> candidate, ShadowGate.Permit permit) {
    Future.all(primary, candidate).onComplete(ignored -> {
      ShadowSide p = primary.result();
      ShadowSide c = candidate.result();
      s.metrics().shadowCall(sh.entry(), sh.config().model(), c.error() == null ? "ok" : c.error());
      ShadowComparison cmp = p.answer() == null || c.answer() == null ? ShadowComparison.NONE
          : AnswerComparator.compare(p.answer(), c.answer(), sh.config().compare(), jsonMode(request),
              schema(request));
      Instant now = Instant.now();
      String shadowId = "shadow:" + requestId + ":" + sh.config().model();
      if (c.target() != null) {
        ledger.offer(row(shadowId, 1, now, sh.entry(), c.provider(), c.target().model(), request.stream(), c));
      }
      boolean similarity = sh.config().compares("similarity") && p.answer() != null && c.answer() != null;
      Future<ShadowComparison> compared = !similarity ? Future.succeededFuture(cmp)
          : ShadowEmbeddings.embed(s, sh.config().embeddingModel(), List.of(p.answer().text(), c.answer().text()))
              .map(e -> {
                TokenUsage used = e.response().usage();
                Cost cost = s.pricing().cost(e.target(), used);
                ledger.offer(LedgerRow.builder(shadowId, 2, Instant.now()).key(ACCOUNT, null, null)
                    .target(sh.entry(), e.provider(), e.target().model()).tokens(used)
                    .cost(cost.total().value(), cost.priceKnown(), false).kind(RowKind.SHADOW).build());
                double v = AnswerComparator.cosine(e.vectors().get(0), e.vectors().get(1));
                return cmp.withSimilarity(Double.isNaN(v) ? null : v);
              }).recover(e -> {
                LOG.debug("shadow similarity of {} failed: {}", shadowId, e.toString());
                return Future.succeededFuture(cmp);
              });
      compared.onComplete(done -> {
        if (permit != null) {
          permit.release(c.costMicros());
        }
        ShadowComparison k = done.result();
        ShadowPairRow pair = new ShadowPairRow(requestId, now, sh.entry(), sh.config().model(), request.stream(),
            side(p), side(c), k.exact(), k.json(), k.schema(), k.tools(), k.similarity());
        pairs.insert(List.of(pair)).onFailure(e -> LOG.warn("Could not store the shadow pair of {}: {}", requestId,
            e.toString()));
      });
    });
  }

  private static LedgerRow row(String id, int n, Instant now, String entry, String provider, String model,
      boolean stream, ShadowSide c) {
    Outcome o = c.error() == null ? Outcome.OK : Outcome.ERROR;
    return LedgerRow.builder(id, n, now).key(ACCOUNT, null, null).target(entry, provider, model).status(c.status())
        .errorClass(c.error()).outcome(o).tokens(c.usage()).cost(c.costMicros(), c.priceKnown(), c.estimated())
        .latency(c.latencyNanos() / 1_000_000, c.ttftNanos() >= 0 ? c.ttftNanos() / 1_000_000 : null).stream(stream)
        .startedAt(now.minusNanos(c.latencyNanos())).kind(RowKind.SHADOW).build();
  }

  private static ShadowPairRow.Side side(ShadowSide s) {
    return new ShadowPairRow.Side(s.target() == null ? null : s.target().label(), s.latencyNanos() / 1_000_000,
        s.ttftNanos() >= 0 ? s.ttftNanos() / 1_000_000 : null, s.usage().input(), s.usage().output(), s.costMicros(),
        s.error(), s.answer() == null ? null : s.answer().finishReason(), s.outputChars());
  }

  private static boolean jsonMode(ChatRequest r) {
    var f = r.body().responseFormat();
    return f != null && ("json_object".equals(f.type()) || "json_schema".equals(f.type()));
  }

  private static JsonNode schema(ChatRequest r) {
    var f = r.body().responseFormat();
    if (f == null || !"json_schema".equals(f.type()) || f.jsonSchema() == null) {
      return null;
    }
    JsonNode schema = f.jsonSchema().get("schema");
    return schema == null || !schema.isObject() ? null : schema;
  }
}
