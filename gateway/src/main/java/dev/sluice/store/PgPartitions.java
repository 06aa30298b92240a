package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly partitions of the ledger and the request log on PostgreSQL (V12): {@code <table>_yYYYYmMM}
 * holds the rows with {@code ts} in that UTC month, {@code <table>_default} any row whose month has no
 * partition (so an insert never fails). Blocking: run on the store's workers.
 *
 * <p>{@link #ensure} creates the current and the next month's partitions; the store calls it when it
 * opens and once a day. Several replicas may run it at the same moment: {@code CREATE TABLE IF NOT
 * EXISTS} plus treating "already exists" errors from a lost race as done makes it idempotent. Rows
 * that landed in the default partition for a month that then gets its partition are moved into it.
 *
 * <p>{@link #dropBefore} is retention by partitions: whole months that end by the cut-off are
 * dropped (one catalog change, no row deletes, no bloat); the month at the edge is left to row deletes.
 */
final class PgPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(PgPartitions.class);
  static final List<String> TABLES = List.of("ledger", "request_log");
  private static final Pattern MONTH = Pattern.compile("_y(\\d{4})m(\\d{2})$");
  /**
   * A lost race to create the same partition: duplicate_table, unique_violation (on the catalog), and
   * invalid_object_definition (the range is already covered by another partition).
   */
  private static final Set<String> ALREADY_THERE = Set.of("42P07", "23505", "42P17");
  /** check_violation: the default partition holds rows of the new partition's range. */
  private static final String DEFAULT_HAS_ROWS = "23514";
  /** How long a partition change waits for the tables' locks before giving up until its next run. */
  private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

  private PgPartitions() {}

  static String name(String table, YearMonth month) {
    return String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue());
  }

  /** The first millisecond of {@code month}, UTC. */
  static long start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /**
   * Makes sure both tables have partitions for the month of {@code now} and the next one. Needs a
   * connection in auto-commit mode (each change is its own transaction). Returns how many it created.
   */
  static int ensure(Connection c, Instant now) throws SQLException {
    YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    int created = 0;
    for (String table : TABLES) {
      for (YearMonth m : List.of(month, month.plusMonths(1))) {
        created += ensure(c, table, m) ? 1 : 0;
      }
    }
    return created;
  }

  /** Creates {@code table}'s partition for {@code month} unless it exists; whether this call created it. */
  static boolean ensure(Connection c, String table, YearMonth month) throws SQLException {
    String name = name(table, month);
    if (exists(c, name)) {
      return false;
    }
    String bounds = " FOR VALUES FROM (" + start(month) + ") TO (" + start(month.plusMonths(1)) + ")";
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table + bounds);
      LOG.info("Created partition {}", name);
      return true;
    } catch (SQLException e) {
      if (ALREADY_THERE.contains(e.getSQLState())) {
        return false; // another replica created it first
      }
      if (!DEFAULT_HAS_ROWS.equals(e.getSQLState())) {
        throw e;
      }
    }
    return moveFromDefault(c, table, name, month, bounds);
  }

  /**
   * Creates the partition outside the table, moves the default partition's rows of its month into it
   * and attaches it, in one transaction (the default partition is locked meanwhile, so no row of
   * that month lands there between the move and the attach).
   */
  private static boolean moveFromDefault(Connection c, String table, String name, YearMonth month, String bounds)
      throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(LOCK_TIMEOUT);
      s.execute("LOCK TABLE " + table + "_default IN ACCESS EXCLUSIVE MODE");
      if (exists(c, name)) {
        c.rollback();
        return false;
      }
      s.execute("CREATE TABLE " + name + " (LIKE " + table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
      int moved = s.executeUpdate("WITH moved AS (DELETE FROM " + table + "_default WHERE ts >= " + start(month)
          + " AND ts < " + start(month.plusMonths(1)) + " RETURNING *) INSERT INTO " + name + " SELECT * FROM moved");
      s.execute("ALTER TABLE " + table + " ATTACH PARTITION " + name + bounds);
      c.commit();
      LOG.info("Created partition {} with the {} rows of its month from {}_default", name, moved, table);
      return true;
    } catch (SQLException e) {
      c.rollback();
      if (ALREADY_THERE.contains(e.getSQLState())) {
        return false;
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Drops {@code table}'s monthly partitions that end at or before {@code cutoff} (every row in them
   * is older), within the caller's transaction; returns how many rows they held.
   */
  static int dropBefore(Connection c, String table, Instant cutoff) throws SQLException {
    List<String> old = new ArrayList<>();
    for (String p : partitions(c, table)) {
      Matcher m = MONTH.matcher(p);
      if (m.find()) {
        YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (start(month.plusMonths(1)) <= cutoff.toEpochMilli()) {
          old.add(p);
        }
      }
    }
    if (old.isEmpty()) {
      return 0;
    }
    long rows = 0;
    try (Statement s = c.createStatement()) {
      s.execute(LOCK_TIMEOUT);
      for (String p : old) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + p)) {
          rs.next();
          rows += rs.getLong(1);
        }
        s.execute("DROP TABLE IF EXISTS " + p);
      }
    }
    LOG.info("Retention dropped partitions {} ({} rows)", old, rows);
    return (int) Math.min(Integer.MAX_VALUE, rows);
  }

  /** The names of {@code table}'s partitions (the default one included). */
  static List<String> partitions(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT k.relname FROM pg_inherits i JOIN pg_class k "
        + "ON k.oid = i.inhrelid WHERE i.inhparent = to_regclass(?) ORDER BY k.relname")) {
      ps.setString(1, table);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
