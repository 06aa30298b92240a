package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.store.Budget;
import dev.sluice.store.LedgerStore;
import dev.sluice.store.SpendQuery;
import dev.sluice.store.SpendRow;
import dev.sluice.store.StoredKey;
import dev.sluice.store.Team;
import dev.sluice.tenancy.KeyPolicy;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the key and team reads of the admin API add to each entry, from the ledger: {@code spend}
 * in the current budget period ({@code period}, {@code from}, {@code cost_usd}, and
 * {@code remaining_usd} — what is left of the budget, never below zero — or null without a budget;
 * a key or team without a budget is reported over the calendar month), and for keys {@code recent}:
 * the requests and tokens (input + output) the ledger recorded in the last minute against the
 * key's {@code rpm} and {@code tpm} ({@code rpm_remaining}, {@code tpm_remaining}; null for no
 * limit). Attribution is by key name, as for budgets: keys that share a name share these figures.
 *
 * <p>A list costs one grouped ledger query per distinct budget period among its entries (an index
 * scan: {@link LedgerStore#spentMicrosByName}), plus one for the last minute (keys), whatever the
 * number of entries. Stateless; thread-safe.
 */
final class SpendHeadroom {
  /** The window {@code recent} covers: the one {@code rpm} and {@code tpm} are counted over. */
  static final Duration RECENT = Duration.ofMinutes(1);

  private SpendHeadroom() {}

  /** The views of {@code keys} at {@code now}, each with its {@code spend} and {@code recent}. */
  static Future<List<ObjectNode>> keys(LedgerStore ledger, List<StoredKey> keys, Instant now) {
    Future<Map<Budget.Period, Map<String, Long>>> spent =
        byPeriod(ledger, "key", keys.stream().map(k -> period(k.budget())).toList(), now);
    Future<Map<String, SpendRow>> recent = keys.isEmpty() ? Future.succeededFuture(Map.of())
        : ledger.spend(SpendQuery.of(SpendQuery.GroupBy.KEY, now.minus(RECENT), null)).map(SpendHeadroom::byGroup);
    return Future.all(spent, recent).map(v -> {
      List<ObjectNode> out = new ArrayList<>(keys.size());
      for (StoredKey k : keys) {
        ObjectNode o = AdminViews.key(k, now);
        spend(o, k.budget(), spent.result().get(period(k.budget())).get(k.name()), now);
        KeyPolicy policy = KeyPolicy.parse(k.limitsJson());
        SpendRow r = recent.result().get(k.name());
        long requests = r == null ? 0 : r.requests();
        long tokens = r == null ? 0 : Math.addExact(r.inputTokens(), r.outputTokens());
        ObjectNode rec = o.putObject("recent");
        rec.put("window_seconds", RECENT.toSeconds());
        rec.put("requests", requests);
        rec.put("tokens", tokens);
        remaining(rec, "rpm_remaining", policy.limits().rpm(), requests);
        remaining(rec, "tpm_remaining", policy.limits().tpm(), tokens);
        out.add(o);
      }
      return out;
    });
  }

  /** The views of {@code teams} at {@code now}, each with its {@code spend}. */
  static Future<List<ObjectNode>> teams(LedgerStore ledger, List<Team> teams, Instant now) {
    return byPeriod(ledger, "team", teams.stream().map(t -> period(t.budget())).toList(), now)
        .map(spent -> teams.stream().map(t -> {
          ObjectNode o = AdminViews.team(t);
          spend(o, t.budget(), spent.get(period(t.budget())).get(t.name()), now);
          return o;
        }).toList());
  }

  /** One grouped query per distinct period: name → its cost in micro-units, since that period's start. */
  private static Future<Map<Budget.Period, Map<String, Long>>> byPeriod(LedgerStore ledger,
      String scopeKind, List<Budget.Period> periods, Instant now) {
    Map<Budget.Period, Future<Map<String, Long>>> queries = new EnumMap<>(Budget.Period.class);
    for (Budget.Period p : periods) {
      queries.computeIfAbsent(p, q -> ledger.spentMicrosByName(scopeKind, start(q, now)));
    }
    return Future.all(List.copyOf(queries.values())).map(v -> {
      Map<Budget.Period, Map<String, Long>> out = new EnumMap<>(Budget.Period.class);
      queries.forEach((p, f) -> out.put(p, f.result()));
      return out;
    });
  }

  private static Map<String, SpendRow> byGroup(List<SpendRow> rows) {
    Map<String, SpendRow> out = new HashMap<>();
    rows.stream().filter(r -> r.group() != null).forEach(r -> out.put(r.group(), r));
    return out;
  }

  private static void spend(ObjectNode o, Budget budget, Long spentMicros, Instant now) {
    Budget.Period p = period(budget);
    long cost = spentMicros == null ? 0 : spentMicros;
    ObjectNode s = o.putObject("spend");
    s.put("period", p.wire());
    s.put("from", start(p, now).toString());
    s.put("cost_usd", SpendReports.usd(cost));
    if (budget == null) {
      s.putNull("remaining_usd");
    } else {
      s.put("remaining_usd", SpendReports.usd(Math.max(0, budget.micros() - cost)));
    }
  }

  private static void remaining(ObjectNode o, String field, long limit, long used) {
    if (limit <= 0) {
      o.putNull(field);
    } else {
      o.put(field, Math.max(0, limit - used));
    }
  }

  /** A budget's period; without a budget, spend is reported over the calendar month. */
  private static Budget.Period period(Budget b) {
    return b == null ? Budget.Period.MONTHLY : b.period();
  }

  private static Instant start(Budget.Period p, Instant now) {
    return SpendReports.periodStart(Objects.requireNonNull(p).wire(), now);
  }
}
