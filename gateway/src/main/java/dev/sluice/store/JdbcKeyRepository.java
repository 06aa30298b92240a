package dev.sluice.store;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class JdbcKeyRepository implements KeyRepository {
  private static final String COLUMNS = "id, key_hash, key_prefix, name, team, models, limits, budget_micros, "
      + "budget_period, budget_mode, metadata, expires_at, revoked_at, created_at";

  private final Jdbc jdbc;

  JdbcKeyRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<StoredKey> insert(NewKey k) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ") "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, k.id());
        ps.setString(2, k.keyHash());
        ps.setString(3, k.keyPrefix());
        ps.setString(4, k.name());
        Sql.setString(ps, 5, k.team());
        Sql.setString(ps, 6, JsonText.write(k.models()));
        Sql.setString(ps, 7, k.limitsJson());
        Sql.setBudget(ps, 8, k.budget());
        Sql.setString(ps, 11, k.metadataJson());
        Sql.setLong(ps, 12, Millis.of(k.expiresAt()));
        Sql.setLong(ps, 13, null);
        ps.setLong(14, k.createdAt().toEpochMilli());
        ps.executeUpdate();
      }
      return new StoredKey(k.id(), k.keyHash(), k.keyPrefix(), k.name(), k.team(), k.models(), k.limitsJson(),
          k.budget(), k.metadataJson(), k.expiresAt(), null, k.createdAt());
    });
  }

  @Override
  public Future<Optional<StoredKey>> findByHash(String keyHash) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?")) {
        ps.setString(1, keyHash);
        List<StoredKey> found = keys(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public Future<Optional<StoredKey>> findById(String id) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
        ps.setString(1, id);
        List<StoredKey> found = keys(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public Future<List<StoredKey>> list(String teamOrNull) {
    return jdbc.read(c -> {
      String where = teamOrNull == null ? "" : " WHERE team = ?";
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys" + where)) {
        if (teamOrNull != null) {
          ps.setString(1, teamOrNull);
        }
        List<StoredKey> out = keys(ps);
        // Sorted here: the engines' text collations differ, so ORDER BY on text would too.
        out.sort(Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::id));
        return out;
      }
    });
  }

  @Override
  public Future<Boolean> revoke(String id, Instant at) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<Boolean> update(String id, KeyUpdate u) {
    return jdbc.write(c -> {
      if (u.isEmpty()) {
        return exists(c, id);
      }
      List<String> sets = new ArrayList<>();
      List<Binder> binds = new ArrayList<>();
      if (u.name() != null) {
        sets.add("name = ?");
        binds.add((ps, i) -> ps.setString(i, u.name()));
      }
      if (u.team() != null) {
        sets.add("team = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, u.team().orElse(null)));
      }
      if (u.models() != null) {
        sets.add("models = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, JsonText.write(u.models().orElse(null))));
      }
      if (u.limitsJson() != null) {
        sets.add("limits = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, u.limitsJson().orElse(null)));
      }
      if (u.budget() != null) {
        Budget b = u.budget().orElse(null);
        sets.add("budget_micros = ?");
        binds.add((ps, i) -> Sql.setLong(ps, i, b == null ? null : b.micros()));
        sets.add("budget_period = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, b == null ? null : b.period().wire()));
        sets.add("budget_mode = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, b == null ? null : b.mode().wire()));
      }
      if (u.metadataJson() != null) {
        sets.add("metadata = ?");
        binds.add((ps, i) -> Sql.setString(ps, i, u.metadataJson().orElse(null)));
      }
      if (u.expiresAt() != null) {
        sets.add("expires_at = ?");
        binds.add((ps, i) -> Sql.setLong(ps, i, Millis.of(u.expiresAt().orElse(null))));
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET " + String.join(", ", sets) + " WHERE id = ?")) {
        for (int i = 0; i < binds.size(); i++) {
          binds.get(i).bind(ps, i + 1);
        }
        ps.setString(binds.size() + 1, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<StoredKey> keys(PreparedStatement ps) throws SQLException {
    List<StoredKey> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new StoredKey(rs.getString("id"), rs.getString("key_hash"), rs.getString("key_prefix"),
            rs.getString("name"), rs.getString("team"), JsonText.strings(rs.getString("models")),
            rs.getString("limits"), Sql.getBudget(rs), rs.getString("metadata"),
            Millis.instant(Sql.getLong(rs, "expires_at")), Millis.instant(Sql.getLong(rs, "revoked_at")),
            Millis.instant(rs.getLong("created_at"))));
      }
    }
    return out;
  }
}
