package dev.equilibria.control.efficiency;

import dev.equilibria.control.efficiency.assignment.Assignment;
import dev.equilibria.control.efficiency.assignment.AssignmentSolver;
import dev.equilibria.control.efficiency.assignment.HungarianAssignmentSolver;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * PoA-hat of one window, as the paper defines it: the sum of modelled costs of the assignment the router made,
 * over the sum of the min-cost assignment on the same frozen-latency cost matrix.
 *
 * <p>Row {@code i} is a request, column {@code j} a candidate worker; {@code c_ij} is the cost model applied to
 * {@code j}'s terms as recorded at {@code i}'s decision time. A worker that was not among a request's candidates is
 * a forbidden cell. Each worker is replicated into the slots the {@link SlotPolicy} gives it.
 */
public final class PoaHatCalculator {

    private final CostModel costModel;
    private final SlotPolicy slotPolicy;
    private final AssignmentSolver solver;

    public PoaHatCalculator(CostModel costModel, SlotPolicy slotPolicy, AssignmentSolver solver) {
        this.costModel = costModel;
        this.slotPolicy = slotPolicy;
        this.solver = solver;
    }

    /** The kv cost with each decision's {@code w}, balanced slots, the Hungarian solver. */
    public static PoaHatCalculator defaults() {
        return new PoaHatCalculator(KvCostModel.decisionWeight(), BalancedSlots.defaults(),
                new HungarianAssignmentSolver());
    }

    public PoaHatWindow compute(RoutingLeg leg, List<RoutingDecision> decisions) {
        List<RoutingDecision> rows = new ArrayList<>();
        TreeSet<String> workerIds = new TreeSet<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (RoutingDecision d : decisions) {
            start = Math.min(start, d.timestampMs());
            end = Math.max(end, d.timestampMs());
            if (chosenCandidate(d) != null) {
                rows.add(d);
                d.candidates().forEach(c -> workerIds.add(c.workerId()));
            }
        }
        RouterSettings settings = decisions.isEmpty() ? null : decisions.get(0).settings();
        int excluded = decisions.size() - rows.size();
        int n = rows.size();
        int m = workerIds.size();
        if (n == 0) {
            return new PoaHatWindow(leg, settings, decisions.isEmpty() ? 0 : start, decisions.isEmpty() ? 0 : end,
                    0, excluded, 0, 0, 0, Double.NaN, false);
        }

        List<String> workers = new ArrayList<>(workerIds);
        Map<String, Integer> column = new HashMap<>();
        for (int j = 0; j < m; j++) {
            column.put(workers.get(j), j);
        }
        double[][] cost = new double[n][m];
        double actual = 0;
        for (int i = 0; i < n; i++) {
            RoutingDecision d = rows.get(i);
            Arrays.fill(cost[i], Double.NaN);
            for (CandidateCost c : d.candidates()) {
                int j = column.get(c.workerId());
                if (Double.isNaN(cost[i][j])) {
                    cost[i][j] = checkedCost(d, c);
                }
            }
            actual += cost[i][column.get(d.chosenWorker())];
        }

        int[] slots = slots(workers, n);
        Double optimal = constrainedOptimum(cost, slots);
        boolean relaxed = optimal == null;
        if (relaxed) {
            optimal = unconstrainedOptimum(cost);
        }
        return new PoaHatWindow(leg, settings, start, end, n, excluded, m, actual, optimal,
                PoaHatWindow.ratio(actual, optimal), relaxed);
    }

    private static CandidateCost chosenCandidate(RoutingDecision d) {
        if (d.chosenWorker() == null) {
            return null;
        }
        for (CandidateCost c : d.candidates()) {
            if (d.chosenWorker().equals(c.workerId())) {
                return c;
            }
        }
        return null;
    }

    private double checkedCost(RoutingDecision d, CandidateCost c) {
        double value = costModel.cost(d, c);
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("cost model " + costModel + " gave " + value + " for request "
                    + d.requestId() + " on " + c.workerId());
        }
        return value;
    }

    private int[] slots(List<String> workers, int n) {
        int m = workers.size();
        int[] slots = new int[m];
        long total = 0;
        for (int j = 0; j < m; j++) {
            slots[j] = Math.min(n, Math.max(0, slotPolicy.slots(workers.get(j), n, m)));
            total += slots[j];
        }
        // Declared capacities too small for the window: grow every worker equally rather than drop requests.
        while (total < n) {
            for (int j = 0; j < m && total < n; j++) {
                if (slots[j] < n) {
                    slots[j]++;
                    total++;
                }
            }
        }
        return slots;
    }

    /** The slot-limited optimum, or null when it would have to use a forbidden cell. */
    private Double constrainedOptimum(double[][] cost, int[] slots) {
        int n = cost.length;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : cost) {
            for (double c : row) {
                if (!Double.isNaN(c)) {
                    max = Math.max(max, c);
                    min = Math.min(min, c);
                }
            }
        }
        // Any assignment through a forbidden cell costs more than every assignment that avoids them.
        double forbidden = max + n * (max - min) + 1;
        int columns = Arrays.stream(slots).sum();
        int[] workerOfColumn = new int[columns];
        for (int j = 0, k = 0; j < slots.length; j++) {
            for (int s = 0; s < slots[j]; s++) {
                workerOfColumn[k++] = j;
            }
        }
        double[][] expanded = new double[n][columns];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < columns; k++) {
                double c = cost[i][workerOfColumn[k]];
                expanded[i][k] = Double.isNaN(c) ? forbidden : c;
            }
        }
        Assignment assignment = solver.solve(expanded);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double c = cost[i][workerOfColumn[assignment.columnOf(i)]];
            if (Double.isNaN(c)) {
                return null;
            }
            total += c;
        }
        return total;
    }

    private static double unconstrainedOptimum(double[][] cost) {
        double total = 0;
        for (double[] row : cost) {
            double best = Double.POSITIVE_INFINITY;
            for (double c : row) {
                if (!Double.isNaN(c)) {
                    best = Math.min(best, c);
                }
            }
            total += best;
        }
        return total;
    }
}
