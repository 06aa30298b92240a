package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.Budget;
import dev.sluice.store.SpendQuery;
import dev.sluice.store.Team;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code /admin/teams} (create or replace a team's budget and alert settings, list, show — both reads
 * with the team's spend this budget period and what is left of its budget, {@link SpendHeadroom}; an alert
 * webhook the outbound guard refuses by its text — scheme, user info, host, literal address — is a
 * 400, a host name is checked again each time an alert is sent) and
 * {@code GET /admin/spend} (the ledger grouped by key, team, model, provider or day, read from its
 * hourly rollup: the cost of answers apart from the overhead of retries, failed attempts, lost hedges
 * and fallbacks, and what the clients spent, what the response cache and the providers' prompt caches
 * saved and what shadow calls cost, each its own column).
 */
final class TeamAdmin {
  /** The alert percentages a team budget gets when none are given (as for a budget in the config file). */
  static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);
  private static final Set<String> GROUPS = Set.of("key", "team", "model", "provider", "day");
  private static final Set<String> SPEND_PARAMS = Set.of("group_by", "from", "to", "key", "team");

  private final GatewayView view;
  private final Clock clock;
  private final AdminAudit audit;

  TeamAdmin(GatewayView view, Clock clock, AdminAudit audit) {
    this.view = view;
    this.clock = clock;
    this.audit = audit;
  }

  void mount(Router router) {
    audit.write(router, HttpMethod.POST, "/admin/teams", "team.upsert", this::upsert);
    router.get("/admin/teams").handler(this::list);
    router.get("/admin/teams/:name").handler(this::show);
    router.get("/admin/spend").handler(this::spend);
  }

  private void upsert(RoutingContext ctx) {
    Team team;
    try {
      ObjectNode b = AdminInput.object(ctx.body().buffer(), Set.of("name", "budget"));
      String name = AdminInput.name(b.get("name"), "name");
      AdminAudit.trail(ctx).target(name);
      JsonNode budgetNode = b.get("budget");
      Budget budget = AdminInput.budget(budgetNode, "budget", Set.of("alert_webhook", "alert_thresholds"));
      String webhook = budget == null ? null
          : AdminInput.webhook(budgetNode.get("alert_webhook"), "budget.alert_webhook", view::outboundRefusal);
      List<Integer> thresholds = budget == null ? null
          : AdminInput.thresholds(budgetNode.get("alert_thresholds"), "budget.alert_thresholds");
      team = new Team(name, budget, webhook, budget != null && thresholds == null ? DEFAULT_THRESHOLDS : thresholds,
          clock.instant());
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().teams().find(team.name())
        .compose(before -> view.store().teams().upsert(team).map(after -> {
          ObjectNode shown = AdminViews.team(after);
          AdminAudit.trail(ctx).before(before.map(AdminViews::team).orElse(null)).after(shown);
          KeyAdmin.json(ctx, before.isPresent() ? 200 : 201, shown);
          return after;
        }))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void list(RoutingContext ctx) {
    view.store().teams().list()
        .compose(teams -> SpendHeadroom.teams(view.store().ledger(), teams, clock.instant()))
        .onSuccess(teams -> KeyAdmin.json(ctx, 200, AdminViews.list(teams)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void show(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    view.store().teams().find(name).onSuccess(found -> {
      if (found.isEmpty()) {
        AdminErrors.notFound(ctx, "No team with this name");
      } else {
        SpendHeadroom.teams(view.store().ledger(), List.of(found.get()), clock.instant())
            .onSuccess(shown -> KeyAdmin.json(ctx, 200, shown.get(0)))
            .onFailure(e -> AdminErrors.storeFailed(ctx, e));
      }
    }).onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void spend(RoutingContext ctx) {
    SpendQuery q;
    try {
      for (String p : ctx.queryParams().names()) {
        if (!SPEND_PARAMS.contains(p)) {
          throw new SpendReports.BadParam(p, "Unknown parameter '" + p + "'; allowed: "
              + String.join(", ", SPEND_PARAMS.stream().sorted().toList()));
        }
      }
      Instant now = clock.instant();
      SpendQuery.GroupBy g = SpendReports.groupBy(ctx.queryParams().get("group_by"), GROUPS, "key");
      Instant from = SpendReports.time(ctx.queryParams().get("from"), "from", SpendReports.periodStart("monthly", now));
      Instant to = SpendReports.time(ctx.queryParams().get("to"), "to", null);
      if (to != null && to.isBefore(from)) {
        throw new SpendReports.BadParam("to", "to is before from");
      }
      q = SpendQuery.of(g, from, to);
      String key = ctx.queryParams().get("key");
      String team = ctx.queryParams().get("team");
      if (key != null && !key.isBlank()) {
        q = q.forKey(key.strip());
      }
      if (team != null && !team.isBlank()) {
        q = q.forTeam(team.strip());
      }
    } catch (SpendReports.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    SpendQuery query = q;
    view.store().ledger().spend(query)
        .onSuccess(rows -> KeyAdmin.json(ctx, 200, SpendReports.report(query, rows)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }
}
