package dev.equilibria.routing.policy;

import java.util.Objects;

/**
 * The knobs of the selection policy for one leg, as one layer of configuration: a null field leaves the setting to
 * the layer below (see {@link #overriddenBy}). The fields are shared by the policies so that an override can name a
 * knob without knowing the policy in force; each policy reads the ones it uses (its {@code Params}) and takes its
 * own named default for the rest. Names follow Dynamo and SGLang.
 *
 * @param policy              config name of the policy, see {@link WorkerSelectors}
 * @param overlapScoreWeight  {@code overlap_score_weight}: weight of prefill blocks in the kv cost
 * @param routerTemperature   {@code router_temperature}: softmax temperature of the kv policy; 0 picks the lowest cost
 * @param balanceAbsThreshold {@code balance_abs_threshold}: cache_balance leaves cache affinity when the spread of
 *                            loads (blocks) passes this ...
 * @param balanceRelThreshold {@code balance_rel_threshold}: ... and the highest load is this many times the lowest
 * @param cacheThreshold      {@code cache_threshold}: cache_balance follows the cache only when the best worker
 *                            holds at least this fraction of the prompt
 */
public record PolicySettings(String policy, Double overlapScoreWeight, Double routerTemperature,
                             Double balanceAbsThreshold, Double balanceRelThreshold, Double cacheThreshold) {

    /** A layer that changes nothing. */
    public static final PolicySettings EMPTY = new PolicySettings(null, null, null, null, null, null);

    /** Every setting at its built-in default: the {@code kv} policy with the paper's cache-affine point (w=1, t=0). */
    public static final PolicySettings DEFAULTS = new PolicySettings(KvSelector.NAME,
            KvSelector.Params.DEFAULT_OVERLAP_SCORE_WEIGHT, KvSelector.Params.DEFAULT_ROUTER_TEMPERATURE,
            CacheBalanceSelector.Params.DEFAULT_BALANCE_ABS_THRESHOLD,
            CacheBalanceSelector.Params.DEFAULT_BALANCE_REL_THRESHOLD,
            CacheBalanceSelector.Params.DEFAULT_CACHE_THRESHOLD);

    public static PolicySettings ofPolicy(String policy) {
        return EMPTY.withPolicy(policy);
    }

    public PolicySettings withPolicy(String name) {
        return new PolicySettings(name, overlapScoreWeight, routerTemperature, balanceAbsThreshold,
                balanceRelThreshold, cacheThreshold);
    }

    /** This layer with every non-null field of {@code over} on top. */
    public PolicySettings overriddenBy(PolicySettings over) {
        if (over == null) {
            return this;
        }
        return new PolicySettings(or(over.policy, policy), or(over.overlapScoreWeight, overlapScoreWeight),
                or(over.routerTemperature, routerTemperature), or(over.balanceAbsThreshold, balanceAbsThreshold),
                or(over.balanceRelThreshold, balanceRelThreshold), or(over.cacheThreshold, cacheThreshold));
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** True when every field is set, as in a resolved configuration. */
    public boolean isComplete() {
        return policy != null && overlapScoreWeight != null && routerTemperature != null
                && balanceAbsThreshold != null && balanceRelThreshold != null && cacheThreshold != null;
    }

    /**
     * Checks each set field.
     *
     * @param prefix how the caller names this layer in messages, for example {@code prefill.}; may be empty
     * @return this
     * @throws InvalidSettingException naming the first bad field
     */
    public PolicySettings validate(String prefix) {
        if (policy != null && !WorkerSelectors.names().contains(policy)) {
            throw new InvalidSettingException(prefix + "policy", "unknown policy '" + policy + "' (known: "
                    + String.join(", ", WorkerSelectors.names()) + ")");
        }
        atLeast(prefix + "overlap_score_weight", overlapScoreWeight, 0);
        atLeast(prefix + "router_temperature", routerTemperature, 0);
        atLeast(prefix + "balance_abs_threshold", balanceAbsThreshold, 0);
        atLeast(prefix + "balance_rel_threshold", balanceRelThreshold, 1);
        atLeast(prefix + "cache_threshold", cacheThreshold, 0);
        if (cacheThreshold != null && cacheThreshold > 1) {
            throw new InvalidSettingException(prefix + "cache_threshold", "must be between 0 and 1, got "
                    + cacheThreshold);
        }
        return this;
    }

    private static void atLeast(String field, Double value, double min) {
        if (value != null && (!Double.isFinite(value) || value < min)) {
            throw new InvalidSettingException(field, "must be a finite number >= " + (min == (long) min
                    ? String.valueOf((long) min) : String.valueOf(min)) + ", got " + value);
        }
    }

    private static <T> T or(T over, T base) {
        return over != null ? over : base;
    }

    /** The resolved value of a field, failing loudly if a caller forgot to resolve. */
    static double required(Double value, String field) {
        return Objects.requireNonNull(value, () -> field + " is not resolved");
    }
}
