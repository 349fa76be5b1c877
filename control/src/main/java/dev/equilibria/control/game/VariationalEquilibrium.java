package dev.equilibria.control.game;

/**
 * The game's variational equilibrium: both players face one shadow price for the shared budget, so at an interior
 * point their marginal utilities per worker are equal (the paper's Proposition 1).
 *
 * @param continuousPrefillWorkers x* of the continuous relaxation, G_P = x*, G_D = G - x*
 * @param marginalUtility          the common marginal utility (the budget's shadow price) at x*: dU_P/dG_P
 * @param marginalGap              dU_P/dG_P - dU_D/dG_D at x*; near zero when interior
 * @param interior                 false when a corner (one pool at its single-worker minimum) is optimal
 * @param split                    the whole-worker equilibrium: the split that maximises U_P + U_D
 */
public record VariationalEquilibrium(double continuousPrefillWorkers, double marginalUtility, double marginalGap,
                                     boolean interior, Split split) {
}
