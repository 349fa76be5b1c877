package dev.equilibria.protocol.event;

/**
 * Fleet-wide router settings pushed to every gateway. A null field leaves that setting as it is.
 *
 * @param source         who pushed it (monitor, admin, ...)
 * @param reason         why, for the log and the dashboard
 * @param refuseWhenFull {@code refuse_when_full}: workers refuse legs they have no batch slot for, and the gateway
 *                       places them elsewhere; null (also from a sender that predates the field) leaves it as it is
 */
public record RouterConfigOverride(int version, String source, long timestampMs, String policy,
                                   Double overlapScoreWeight, Double routerTemperature,
                                   String reason, Boolean refuseWhenFull) implements VersionedEvent {

    public RouterConfigOverride(String source, long timestampMs, String policy, Double overlapScoreWeight,
                                Double routerTemperature, String reason) {
        this(source, timestampMs, policy, overlapScoreWeight, routerTemperature, reason, null);
    }

    public RouterConfigOverride(String source, long timestampMs, String policy, Double overlapScoreWeight,
                                Double routerTemperature, String reason, Boolean refuseWhenFull) {
        this(CURRENT_VERSION, source, timestampMs, policy, overlapScoreWeight, routerTemperature, reason,
                refuseWhenFull);
    }
}
