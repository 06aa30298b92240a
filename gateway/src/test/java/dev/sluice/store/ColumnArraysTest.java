package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a batch becomes PostgreSQL's column arrays (the store contract runs them on a real server). */
class ColumnArraysTest {
  record Row(String name, int n, Long maybe, boolean flag) {}

  private static void bind(RowParams p, Row r) throws SQLException {
    p.text(r.name());
    p.int4(r.n());
    p.int8(r.maybe());
    p.bool(r.flag());
  }

  @Test
  void eachColumnIsOneTypedArrayInRowOrderWithNullsKept() throws SQLException {
    ColumnArrays a = ColumnArrays.of(List.of(new Row("a", 1, 10L, true), new Row(null, 2, null, false)),
        ColumnArraysTest::bind);
    assertThat(a.columns()).extracting(ColumnArrays.Column::type).containsExactly("text", "int4", "int8", "bool");
    assertThat(a.columns().get(0).values()).isInstanceOf(String[].class).containsExactly("a", null);
    assertThat(a.columns().get(1).values()).isInstanceOf(Integer[].class).containsExactly(1, 2);
    assertThat(a.columns().get(2).values()).isInstanceOf(Long[].class).containsExactly(10L, null);
    assertThat(a.columns().get(3).values()).isInstanceOf(Boolean[].class).containsExactly(true, false);
    assertThat(UnnestInsert.sql("t", "name, n, maybe, flag", a, "ts::text || ' ' || id")).isEqualTo(
        "INSERT INTO t (name, n, maybe, flag) SELECT * FROM unnest(?::text[], ?::int4[], ?::int8[], ?::bool[])"
            + " ON CONFLICT DO NOTHING RETURNING ts::text || ' ' || id");
  }

  @Test
  void aRowThatBindsOtherColumnsThanTheFirstIsRefused() {
    RowParams.Binder<Integer> oneColumnThenTwo = (p, i) -> {
      p.int4(i);
      if (i > 1) {
        p.int4(i);
      }
    };
    assertThatThrownBy(() -> ColumnArrays.of(List.of(1, 2), oneColumnThenTwo)).isInstanceOf(SQLException.class);
    RowParams.Binder<Integer> typeChanges = (p, i) -> {
      if (i == 1) {
        p.int4(i);
      } else {
        p.text("x");
      }
    };
    assertThatThrownBy(() -> ColumnArrays.of(List.of(1, 2), typeChanges)).isInstanceOf(SQLException.class)
        .hasMessageContaining("column 1");
  }
}
