package dev.equilibria.routing.policy;

import java.util.random.RandomGenerator;

/** Choice rules the policies share: lowest cost with random tie-breaking, and Dynamo's softmax sampling. */
public final class Picks {

    private Picks() {
    }

    /** Index of the lowest cost; ties are broken uniformly at random, so equal workers share traffic. */
    public static int lowest(double[] costs, RandomGenerator random) {
        double min = Double.POSITIVE_INFINITY;
        int ties = 0;
        int chosen = 0;
        for (int i = 0; i < costs.length; i++) {
            if (costs[i] < min) {
                min = costs[i];
                ties = 1;
                chosen = i;
            } else if (costs[i] == min) {
                // reservoir sampling over the tied indexes: each ends up chosen with probability 1/ties
                ties++;
                if (random.nextInt(ties) == 0) {
                    chosen = i;
                }
            }
        }
        return chosen;
    }

    /**
     * Softmax probabilities over costs normalised to [0, 1] by their range: {@code p_j ∝ exp(-norm_j / t)}. Equal
     * costs (zero range) give a uniform distribution.
     */
    public static double[] softmax(double[] costs, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("softmax needs a positive temperature, got " + temperature);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double c : costs) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        double range = max - min;
        double[] p = new double[costs.length];
        double sum = 0;
        for (int i = 0; i < costs.length; i++) {
            double normalised = range > 0 ? (costs[i] - min) / range : 0;
            p[i] = Math.exp(-normalised / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Draws an index with the given probabilities (summing to 1). */
    public static int sample(double[] probabilities, RandomGenerator random) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < probabilities.length; i++) {
            acc += probabilities[i];
            if (u < acc) {
                return i;
            }
        }
        // rounding left u above the last cumulative sum: take the last index with any probability
        for (int i = probabilities.length - 1; i >= 0; i--) {
            if (probabilities[i] > 0) {
                return i;
            }
        }
        return probabilities.length - 1;
    }
}
