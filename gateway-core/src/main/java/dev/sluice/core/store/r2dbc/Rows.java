package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.Row;

/** Reads a NOT NULL column: a null there is a broken schema, said by name rather than as an unboxing failure. */
final class Rows {

    private Rows() {
    }

    static <T> T required(Row row, String column, Class<T> type) {
        T value = row.get(column, type);
        if (value == null) {
            throw new IllegalStateException("column " + column + ": NULL (expected: NOT NULL)");
        }
        return value;
    }
}
