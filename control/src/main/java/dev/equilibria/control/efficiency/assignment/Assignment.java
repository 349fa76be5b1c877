package dev.equilibria.control.efficiency.assignment;

import java.util.Arrays;

/**
 * A min-cost assignment of every row to a distinct column.
 *
 * @param columnOfRow for row {@code i}, the column it is assigned to
 * @param totalCost   the sum of the assigned cells, recomputed from the input matrix (not from the dual values)
 */
public record Assignment(int[] columnOfRow, double totalCost) {

    public Assignment {
        columnOfRow = columnOfRow.clone();
    }

    @Override
    public int[] columnOfRow() {
        return columnOfRow.clone();
    }

    public int columnOf(int row) {
        return columnOfRow[row];
    }

    public int rows() {
        return columnOfRow.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && Arrays.equals(columnOfRow, a.columnOfRow)
                && Double.compare(totalCost, a.totalCost) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(columnOfRow) + Double.hashCode(totalCost);
    }

    @Override
    public String toString() {
        return "Assignment" + Arrays.toString(columnOfRow) + " cost=" + totalCost;
    }
}
