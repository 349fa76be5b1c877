package dev.equilibria.control.efficiency.assignment;

/** Solves the rectangular linear assignment problem: each row to a distinct column, minimum total cost. */
public interface AssignmentSolver {

    /**
     * @param cost {@code n x m} matrix with {@code n <= m}, finite entries
     * @return the assignment of every row minimising the sum of assigned cells
     * @throws IllegalArgumentException if the matrix is ragged, has more rows than columns or a non-finite entry
     */
    Assignment solve(double[][] cost);
}
