package dev.sluice.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RowParams} into one array per column over all the rows of a batch: column k's values are
 * {@code column(k)}, typed as the binder bound them ({@code text}, {@code int4}, {@code int8},
 * {@code bool}), nulls as null elements. What PostgreSQL's {@code unnest(?::text[], ?::int8[], …)}
 * turns back into rows ({@link UnnestInsert}).
 */
final class ColumnArrays implements RowParams {
  /** A column's SQL element type and its values, one per row. */
  record Column(String type, Object[] values) {}

  private final int rows;
  private final List<Column> columns = new ArrayList<>();
  private int row = -1;
  private int col;

  private ColumnArrays(int rows) {
    this.rows = rows;
  }

  /** Binds every row of {@code batch}; every row must bind the same columns with the same types. */
  static <R> ColumnArrays of(List<R> batch, RowParams.Binder<? super R> binder) throws SQLException {
    ColumnArrays a = new ColumnArrays(batch.size());
    for (R r : batch) {
      a.row++;
      a.col = 0;
      binder.bind(a, r);
      if (a.col != a.columns.size()) {
        throw new SQLException("row " + a.row + " bound " + a.col + " columns, the first row " + a.columns.size());
      }
    }
    return a;
  }

  List<Column> columns() {
    return columns;
  }

  @Override
  public void text(String v) throws SQLException {
    put("text", v);
  }

  @Override
  public void int4(int v) throws SQLException {
    put("int4", v);
  }

  @Override
  public void int8(long v) throws SQLException {
    put("int8", v);
  }

  @Override
  public void int8(Long v) throws SQLException {
    put("int8", v);
  }

  @Override
  public void bool(boolean v) throws SQLException {
    put("bool", v);
  }

  private void put(String type, Object v) throws SQLException {
    Column c;
    if (row == 0) {
      // Typed arrays, so that the driver encodes each as its element type (pgjdbc: int8[] from Long[]).
      c = new Column(type, switch (type) {
        case "text" -> new String[rows];
        case "int4" -> new Integer[rows];
        case "int8" -> new Long[rows];
        default -> new Boolean[rows];
      });
      columns.add(c);
    } else {
      if (col >= columns.size() || !columns.get(col).type().equals(type)) {
        throw new SQLException("row " + row + " bound column " + (col + 1) + " as " + type + ", not as the first row did");
      }
      c = columns.get(col);
    }
    c.values()[row] = v;
    col++;
  }
}
