package dev.equilibria.control.efficiency.assignment;

import java.util.Arrays;

/**
 * The Hungarian algorithm with row and column potentials (Kuhn–Munkres in the shortest-augmenting-path form,
 * as in Jonker–Volgenant's augmentation step), {@code O(n^2 m)} for {@code n} rows and {@code m >= n} columns.
 *
 * <p>Numerics: costs are shifted by their minimum before solving so that every reduced cost starts non-negative
 * and potentials stay of the order of the cost range; a reduced cost that drifts below zero by rounding is
 * harmless to the augmentation (it only picks that column first). The reported total is summed from the input
 * matrix, never from the potentials, so it carries no accumulated rounding.
 */
public final class HungarianAssignmentSolver implements AssignmentSolver {

    @Override
    public Assignment solve(double[][] cost) {
        int n = cost.length;
        if (n == 0) {
            return new Assignment(new int[0], 0);
        }
        int m = cost[0].length;
        if (m < n) {
            throw new IllegalArgumentException("assignment needs at least as many columns as rows, got "
                    + n + " x " + m);
        }
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : cost) {
            if (row.length != m) {
                throw new IllegalArgumentException("cost matrix is ragged");
            }
            for (double c : row) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("cost matrix has a non-finite entry: " + c);
                }
                min = Math.min(min, c);
            }
        }

        // 1-based arrays; column 0 is the virtual start column of each augmenting path.
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] rowOfColumn = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minReduced = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            rowOfColumn[0] = i;
            int j0 = 0;
            Arrays.fill(minReduced, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = rowOfColumn[j0];
                double[] row = cost[i0 - 1];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double reduced = (row[j - 1] - min) - u[i0] - v[j];
                        if (reduced < minReduced[j]) {
                            minReduced[j] = reduced;
                            way[j] = j0;
                        }
                        if (minReduced[j] < delta) {
                            delta = minReduced[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minReduced[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOfColumn[j0] != 0);
            do {
                int j1 = way[j0];
                rowOfColumn[j0] = rowOfColumn[j1];
                j0 = j1;
            } while (j0 != 0);
        }

        int[] columnOfRow = new int[n];
        for (int j = 1; j <= m; j++) {
            if (rowOfColumn[j] != 0) {
                columnOfRow[rowOfColumn[j] - 1] = j - 1;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += cost[i][columnOfRow[i]];
        }
        return new Assignment(columnOfRow, total);
    }
}
