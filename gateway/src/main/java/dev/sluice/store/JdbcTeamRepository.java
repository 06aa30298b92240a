package dev.sluice.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcTeamRepository implements TeamRepository {
  private static final String COLUMNS = "name, budget_micros, budget_period, budget_mode, alert_webhook, "
      + "alert_thresholds, created_at";

  private final Jdbc jdbc;

  JdbcTeamRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Team> upsert(Team team) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO teams (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (name) DO UPDATE SET budget_micros = excluded.budget_micros, "
          + "budget_period = excluded.budget_period, budget_mode = excluded.budget_mode, "
          + "alert_webhook = excluded.alert_webhook, alert_thresholds = excluded.alert_thresholds")) {
        ps.setString(1, team.name());
        Sql.setBudget(ps, 2, team.budget());
        Sql.setString(ps, 5, team.alertWebhook());
        Sql.setString(ps, 6, JsonText.write(team.alertThresholds()));
        ps.setLong(7, team.createdAt().toEpochMilli());
        ps.executeUpdate();
      }
      return find(c, team.name()).orElseThrow();
    });
  }

  @Override
  public Future<Optional<Team>> find(String name) {
    return jdbc.read(c -> find(c, name));
  }

  @Override
  public Future<List<Team>> list() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM teams");
          ResultSet rs = ps.executeQuery()) {
        List<Team> out = new ArrayList<>();
        while (rs.next()) {
          out.add(team(rs));
        }
        // Sorted here, not by ORDER BY: the engines' text collations differ (PostgreSQL's follows the locale).
        out.sort(java.util.Comparator.comparing(Team::name));
        return out;
      }
    });
  }

  private static Optional<Team> find(java.sql.Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM teams WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(team(rs)) : Optional.empty();
      }
    }
  }

  private static Team team(ResultSet rs) throws SQLException {
    return new Team(rs.getString("name"), Sql.getBudget(rs), rs.getString("alert_webhook"),
        JsonText.ints(rs.getString("alert_thresholds")), Millis.instant(rs.getLong("created_at")));
  }
}
