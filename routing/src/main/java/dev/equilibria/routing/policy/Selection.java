package dev.equilibria.routing.policy;

/**
 * A policy's answer.
 *
 * @param chosen index of the chosen candidate
 * @param costs  each candidate's cost as the policy judged it (lower is better), for the decision log
 */
public record Selection(int chosen, double[] costs) {
}
