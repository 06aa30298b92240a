package dev.sluice.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link StoredResponseStore} over JDBC, on SQLite or PostgreSQL. */
final class JdbcStoredResponseStore implements StoredResponseStore {
  private final Jdbc jdbc;

  JdbcStoredResponseStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Void> record(StoredResponseRow row) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO stored_responses (response_id, key_id, provider, ts) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT (response_id) DO NOTHING")) {
        ps.setString(1, row.responseId());
        ps.setString(2, row.keyId());
        ps.setString(3, row.provider());
        ps.setLong(4, row.createdAt().toEpochMilli());
        ps.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<StoredResponseRow>> find(String responseId) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT response_id, key_id, provider, ts FROM stored_responses WHERE response_id = ?")) {
        ps.setString(1, responseId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new StoredResponseRow(rs.getString(1), rs.getString(2), rs.getString(3),
              Instant.ofEpochMilli(rs.getLong(4)))) : Optional.<StoredResponseRow>empty();
        }
      }
    });
  }

  @Override
  public Future<Boolean> remove(String responseId) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM stored_responses WHERE response_id = ?")) {
        ps.setString(1, responseId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Future<Integer> deleteBefore(Instant cutoff, int max) {
    return jdbc.write(c -> Purge.before(c, "stored_responses", "response_id", cutoff, max));
  }
}
