package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.store.ShadowPairRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The shadow report of one (model entry, candidate): how the candidate compares with the primary
 * over the recorded pairs of a window. Every figure states how many pairs it is computed from: a
 * rate over 12 pairs is not a rate over 12,000. Pure.
 */
final class ShadowReport {
  private ShadowReport() {}

  /** One report per (model entry, candidate), ordered by entry then candidate. */
  static List<ObjectNode> of(List<ShadowPairRow> rows) {
    Map<String, List<ShadowPairRow>> groups = new TreeMap<>();
    for (ShadowPairRow r : rows) {
      groups.computeIfAbsent(r.modelEntry() + "\u0000" + r.candidate(), k -> new ArrayList<>()).add(r);
    }
    List<ObjectNode> out = new ArrayList<>();
    groups.values().forEach(g -> out.add(one(g)));
    return out;
  }

  private static ObjectNode one(List<ShadowPairRow> g) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", g.get(0).modelEntry());
    o.put("candidate", g.get(0).candidate());
    o.put("pairs", g.size());
    o.put("compared", g.stream().filter(r -> r.primary().error() == null && r.shadow().error() == null).count());
    ObjectNode latency = o.putObject("latency_ms");
    latency.set("primary", percentiles(g, ShadowPairRow::primary, s -> s.error() == null ? s.latencyMs() : null));
    latency.set("candidate", percentiles(g, ShadowPairRow::shadow, s -> s.error() == null ? s.latencyMs() : null));
    ObjectNode ttft = o.putObject("ttft_ms");
    ttft.set("primary", percentiles(g, ShadowPairRow::primary, ShadowPairRow.Side::ttftMs));
    ttft.set("candidate", percentiles(g, ShadowPairRow::shadow, ShadowPairRow.Side::ttftMs));
    ObjectNode cost = o.putObject("cost_per_1000_requests_usd");
    cost.put("primary", SpendReports.usd(per1000(g, ShadowPairRow::primary)));
    cost.put("candidate", SpendReports.usd(per1000(g, ShadowPairRow::shadow)));
    ObjectNode errors = o.putObject("error_rate");
    errors.put("primary", rate(g.stream().filter(r -> r.primary().error() != null).count(), g.size()));
    errors.put("candidate", rate(g.stream().filter(r -> r.shadow().error() != null).count(), g.size()));
    ObjectNode agreement = o.putObject("agreement");
    agreement.set("exact", agreement(g, ShadowPairRow::exact));
    agreement.set("json_valid", agreement(g, ShadowPairRow::jsonValid));
    agreement.set("schema_match", agreement(g, ShadowPairRow::schemaMatch));
    agreement.set("tools", agreement(g, ShadowPairRow::toolsAgree));
    ObjectNode similarity = o.putObject("similarity");
    List<Double> sims = g.stream().map(ShadowPairRow::similarity).filter(java.util.Objects::nonNull).toList();
    similarity.put("n", sims.size());
    if (sims.isEmpty()) {
      similarity.putNull("mean");
    } else {
      similarity.put("mean", round(sims.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    }
    return o;
  }

  private static ObjectNode percentiles(List<ShadowPairRow> g, Function<ShadowPairRow, ShadowPairRow.Side> side,
      Function<ShadowPairRow.Side, Long> value) {
    List<Long> v = new ArrayList<>();
    for (ShadowPairRow r : g) {
      Long x = value.apply(side.apply(r));
      if (x != null) {
        v.add(x);
      }
    }
    Collections.sort(v);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", v.size());
    if (v.isEmpty()) {
      o.putNull("p50");
      o.putNull("p95");
    } else {
      o.put("p50", nearestRank(v, 0.50));
      o.put("p95", nearestRank(v, 0.95));
    }
    return o;
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
  static long nearestRank(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** What 1,000 such requests cost on that side, in micro-USD (rounded half up). */
  private static long per1000(List<ShadowPairRow> g, Function<ShadowPairRow, ShadowPairRow.Side> side) {
    long total = 0;
    for (ShadowPairRow r : g) {
      total += side.apply(r).costMicros();
    }
    return (total * 1000 + g.size() / 2) / g.size();
  }

  private static ObjectNode agreement(List<ShadowPairRow> g, Function<ShadowPairRow, Boolean> f) {
    long n = 0;
    long yes = 0;
    for (ShadowPairRow r : g) {
      Boolean b = f.apply(r);
      if (b != null) {
        n++;
        yes += b ? 1 : 0;
      }
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", n);
    if (n == 0) {
      o.putNull("rate");
    } else {
      o.put("rate", rate(yes, n));
    }
    return o;
  }

  private static double rate(long part, long whole) {
    return whole == 0 ? 0 : round((double) part / whole);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
