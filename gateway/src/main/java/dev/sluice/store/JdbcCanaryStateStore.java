package dev.sluice.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CanaryStateStore} over JDBC. Saves may run out of order on the worker pool: the version
 * guard in the upsert keeps an older state from overwriting a newer one.
 */
final class JdbcCanaryStateStore implements CanaryStateStore {
  private static final String COLUMNS = "model, fingerprint, phase, share_ppm, step_started_at, reason, rolled_back_at, "
      + "version";

  private final Jdbc jdbc;

  JdbcCanaryStateStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<List<CanaryRow>> list() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM canary_state");
          ResultSet rs = ps.executeQuery()) {
        List<CanaryRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new CanaryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
              rs.getString(6), rs.getLong(7), rs.getLong(8)));
        }
        return out;
      }
    });
  }

  @Override
  public Future<Void> save(CanaryRow row) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO canary_state (" + COLUMNS + ") "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model) DO UPDATE SET fingerprint = excluded.fingerprint, "
          + "phase = excluded.phase, share_ppm = excluded.share_ppm, step_started_at = excluded.step_started_at, "
          + "reason = excluded.reason, rolled_back_at = excluded.rolled_back_at, version = excluded.version "
          + "WHERE canary_state.version < excluded.version")) {
        ps.setString(1, row.model());
        ps.setString(2, row.fingerprint());
        ps.setString(3, row.phase());
        ps.setLong(4, row.sharePpm());
        ps.setLong(5, row.stepStartedAt());
        Sql.setString(ps, 6, row.reason());
        ps.setLong(7, row.rolledBackAt());
        ps.setLong(8, row.version());
        ps.executeUpdate();
      }
      return null;
    });
  }
}
