package dev.equilibria.control.efficiency.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HungarianAssignmentSolverTest {

    private final AssignmentSolver solver = new HungarianAssignmentSolver();

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(2, 2), Arguments.of(3, 3), Arguments.of(4, 4),
                Arguments.of(5, 5), Arguments.of(6, 6), Arguments.of(7, 7), Arguments.of(2, 5), Arguments.of(3, 6),
                Arguments.of(4, 7), Arguments.of(5, 8), Arguments.of(1, 6));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void matchesBruteForceOnRandomMatrices(int rows, int columns) {
        Random random = new Random(31L * rows + columns);
        for (int trial = 0; trial < 200; trial++) {
            double[][] cost = random(random, rows, columns, trial % 3);
            Assignment assignment = solver.solve(cost);

            assertValid(assignment, rows, columns);
            double expected = bruteForce(cost);
            assertThat(assignment.totalCost()).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void replicatedColumnsLikeWorkerSlots() {
        // Two workers with two slots each; four requests all prefer worker 0.
        double[][] cost = {
                {1, 1, 9, 9},
                {2, 2, 9, 9},
                {1, 1, 3, 3},
                {1, 1, 4, 4}};
        Assignment assignment = solver.solve(cost);

        assertThat(assignment.totalCost()).isEqualTo(bruteForce(cost)).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void aWindowOf256RequestsIsSolvedAndNoWorseThanGreedy() {
        Random random = new Random(7);
        int n = 256;
        int workers = 8;
        int slots = n / workers + 2;
        double[][] cost = new double[n][workers * slots];
        double greedy = 0;
        int[] used = new int[workers];
        for (int i = 0; i < n; i++) {
            double[] perWorker = new double[workers];
            for (int w = 0; w < workers; w++) {
                perWorker[w] = 1000 * random.nextDouble();
                for (int s = 0; s < slots; s++) {
                    cost[i][w * slots + s] = perWorker[w];
                }
            }
            int best = -1;
            for (int w = 0; w < workers; w++) {
                if (used[w] < slots && (best < 0 || perWorker[w] < perWorker[best])) {
                    best = w;
                }
            }
            used[best]++;
            greedy += perWorker[best];
        }

        Assignment assignment = solver.solve(cost);

        assertValid(assignment, n, workers * slots);
        assertThat(assignment.totalCost()).isLessThanOrEqualTo(greedy + 1e-9);
    }

    @Test
    void emptyMatrixCostsNothing() {
        assertThat(solver.solve(new double[0][0]).totalCost()).isZero();
    }

    @Test
    void rejectsBadMatrices() {
        assertThatThrownBy(() -> solver.solve(new double[][] {{1}, {2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> solver.solve(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ragged");
        assertThatThrownBy(() -> solver.solve(new double[][] {{1, Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }

    /** Kind 0: uniform doubles; 1: small integers with many ties; 2: huge offsets with small differences. */
    private static double[][] random(Random random, int rows, int columns, int kind) {
        double[][] cost = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                cost[i][j] = switch (kind) {
                    case 0 -> random.nextDouble() * 100 - 20;
                    case 1 -> random.nextInt(4);
                    default -> 1e6 + random.nextDouble();
                };
            }
        }
        return cost;
    }

    private static void assertValid(Assignment assignment, int rows, int columns) {
        assertThat(assignment.rows()).isEqualTo(rows);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            assertThat(assignment.columnOf(i)).isBetween(0, columns - 1);
            assertThat(used.add(assignment.columnOf(i))).as("column used twice").isTrue();
        }
    }

    private static double bruteForce(double[][] cost) {
        return best(cost, 0, new boolean[cost[0].length]);
    }

    private static double best(double[][] cost, int row, boolean[] used) {
        if (row == cost.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, cost[row][j] + best(cost, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
