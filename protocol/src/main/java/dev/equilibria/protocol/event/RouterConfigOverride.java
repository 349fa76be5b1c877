package dev.equilibria.protocol.event;

/**
 * Fleet-wide router settings pushed to every gateway. A null field leaves that setting as it is.
 *
 * @param source who pushed it (monitor, admin, ...)
 * @param reason why, for the log and the dashboard
 */
public record RouterConfigOverride(int version, String source, long timestampMs, String policy,
                                   Double overlapScoreWeight, Double routerTemperature,
                                   String reason) implements VersionedEvent {

    public RouterConfigOverride(String source, long timestampMs, String policy, Double overlapScoreWeight,
                                Double routerTemperature, String reason) {
        this(CURRENT_VERSION, source, timestampMs, policy, overlapScoreWeight, routerTemperature, reason);
    }
}
