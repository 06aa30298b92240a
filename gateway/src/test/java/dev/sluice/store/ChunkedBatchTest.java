package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A batch written in chunks reports each row's update count at its own position, which is what keeps
 * a replayed row out of the rollups; PostgreSQL's batch stays one round trip.
 */
class ChunkedBatchTest {
  @Test
  void updateCountsStayInRowOrderAcrossChunks() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        s.execute("INSERT INTO t VALUES (3, 'old'), (17, 'old'), (33, 'old')"); // in the 1st, 2nd and 3rd chunk
      }
      List<Integer> ids = IntStream.range(0, 40).boxed().toList();
      int[] counts;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, 'new') ON CONFLICT DO NOTHING")) {
        counts = ChunkedBatch.execute(ps, ids, Dialect.SQLITE.batchChunk, (p, id) -> p.int4(id));
      }
      assertThat(counts).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(counts[i]).as("row %d", i).isEqualTo(i == 3 || i == 17 || i == 33 ? 0 : 1);
      }
      try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*), sum(v = 'old') FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(40);
        assertThat(rs.getInt(2)).isEqualTo(3);
      }
    }
  }

  @Test
  void aChunkedBatchExecutesAChunkAtATimeAndAWholeOneAtOnce() throws SQLException {
    List<Integer> rows = IntStream.range(0, 40).boxed().toList();
    List<Integer> chunked = new ArrayList<>();
    assertThat(ChunkedBatch.execute(recording(chunked), rows, 16, (p, r) -> p.int4(r))).hasSize(40);
    assertThat(chunked).containsExactly(16, 16, 8);
    List<Integer> whole = new ArrayList<>();
    assertThat(ChunkedBatch.execute(recording(whole), rows, ChunkedBatch.WHOLE, (p, r) -> p.int4(r))).hasSize(40);
    assertThat(whole).containsExactly(40);
    assertThat(Dialect.POSTGRESQL.batchChunk).as("PostgreSQL: a batch is one round trip").isEqualTo(ChunkedBatch.WHOLE);
  }

  @Test
  void aDriverThatReportsTooFewCountsFailsTheBatch() {
    PreparedStatement shortCounting = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, m, args) -> "executeBatch".equals(m.getName()) ? new int[1] : null);
    assertThatThrownBy(() -> ChunkedBatch.execute(shortCounting, List.of(1, 2), ChunkedBatch.WHOLE, (p, r) -> p.int4(r)))
        .isInstanceOf(SQLException.class).hasMessageContaining("1 update counts for 2 rows");
  }

  /** A statement that records how many rows each executeBatch call carried and reports 1 for each. */
  private PreparedStatement recording(List<Integer> batches) {
    int[] pending = {0};
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "addBatch" -> {
            pending[0]++;
            yield null;
          }
          case "executeBatch" -> {
            batches.add(pending[0]);
            int[] counts = new int[pending[0]];
            java.util.Arrays.fill(counts, 1);
            pending[0] = 0;
            yield counts;
          }
          default -> null;
        });
  }
}
