package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * A batch of rows inserted on SQLite by one statement with one bound parameter: the rows as a JSON
 * array of arrays, unpacked by {@code json_each} in SQLite's C code,
 * {@code INSERT INTO t (a, b, …) SELECT value ->> 0, value ->> 1, … FROM json_each(?) WHERE true
 * ON CONFLICT DO NOTHING RETURNING id}. sqlite-jdbc makes one JNI call per bound value (35 for a
 * ledger row), most of a row's insert CPU; this makes one per batch. {@code RETURNING id} names the
 * rows the statement inserted (not those already stored), which the ledger's rollup needs for
 * exactly-once. ({@code ->>} gives JSON strings as TEXT, integers as INTEGER, null as NULL, the
 * types the STRICT tables hold; booleans are written as 0/1. {@code WHERE true} is SQLite's
 * documented way to let an upsert clause follow {@code INSERT … SELECT}.)
 */
final class JsonRowsInsert {
  private final String sql;

  /** {@code columns}: the table's column list, comma-separated, {@code id} among them. */
  JsonRowsInsert(String table, String columns) {
    String[] names = columns.split(",");
    StringBuilder s = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns).append(") SELECT ");
    for (int i = 0; i < names.length; i++) {
      s.append(i == 0 ? "" : ", ").append("value ->> ").append(i);
    }
    this.sql = s.append(" FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING id").toString();
  }

  /** Runs the insert of {@code rows} (a {@link Rows} holding at least one row); returns the ids it inserted. */
  Set<String> insert(Connection c, Rows rows) throws SQLException {
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, rows.json());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    return inserted;
  }

  /** Builds the JSON array of rows: {@link #row()}, then each column's value in the table's column order. */
  static final class Rows {
    private final StringBuilder json;
    private boolean firstRow = true;
    private boolean firstValue;

    Rows(int expectedRows) {
      json = new StringBuilder(64 + 320 * expectedRows).append('[');
    }

    Rows row() {
      if (!firstRow) {
        json.append("],");
      }
      firstRow = false;
      firstValue = true;
      json.append('[');
      return this;
    }

    Rows add(long v) {
      sep().append(v);
      return this;
    }

    Rows add(boolean v) {
      sep().append(v ? '1' : '0');
      return this;
    }

    Rows add(Long v) {
      return v == null ? nul() : add(v.longValue());
    }

    Rows add(String v) {
      if (v == null) {
        return nul();
      }
      StringBuilder b = sep().append('"');
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        switch (ch) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          default -> {
            if (ch < 0x20) {
              b.append("\\u00").append(Character.forDigit(ch >> 4, 16)).append(Character.forDigit(ch & 0xf, 16));
            } else {
              b.append(ch); // other characters as they are: the driver sends the text as UTF-8
            }
          }
        }
      }
      b.append('"');
      return this;
    }

    private Rows nul() {
      sep().append("null");
      return this;
    }

    private StringBuilder sep() {
      if (!firstValue) {
        json.append(',');
      }
      firstValue = false;
      return json;
    }

    String json() {
      return json + (firstRow ? "]" : "]]");
    }
  }
}
