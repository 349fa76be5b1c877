package dev.equilibria.allocator.inputs;

import dev.equilibria.control.game.Pool;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The monitor's capacity alerts ({@code equilibria.capacity-alerts}): which pool is saturated for lack of workers
 * rather than because of routing. A newly raised alert arms a one-time dwell bypass for its pool, which the
 * decision loop may spend on a decision that grows that pool; clearing the alert disarms it. Thread-safe.
 */
public class CapacityAlertBoard {

    private static final Logger log = LoggerFactory.getLogger(CapacityAlertBoard.class);

    /** The latest alert of a pool and whether its dwell bypass is still unspent. */
    public record PoolAlert(CapacityAlert alert, boolean raised, boolean bypassArmed) {
    }

    private final Map<Pool, PoolAlert> alerts = new EnumMap<>(Pool.class);

    @KafkaListener(topics = Topics.CAPACITY_ALERTS, groupId = "allocator-alerts-#{T(java.util.UUID).randomUUID()}")
    public void onAlert(String json) {
        try {
            accept(EventCodec.decode(json, CapacityAlert.class));
        } catch (EventFormatException | IllegalArgumentException e) {
            log.warn("ignoring capacity alert: {}", e.getMessage());
        }
    }

    /** Folds one alert in; unknown pools or states are refused with a message naming them. */
    public synchronized void accept(CapacityAlert alert) {
        Pool pool = pool(alert.pool());
        String state = alert.state() == null ? "" : alert.state().toLowerCase(Locale.ROOT);
        boolean raised = switch (state) {
            case "raised" -> true;
            case "cleared" -> false;
            default -> throw new IllegalArgumentException("capacity alert state must be raised or cleared, was '"
                    + alert.state() + "'");
        };
        PoolAlert previous = alerts.get(pool);
        boolean newlyRaised = raised && (previous == null || !previous.raised());
        boolean armed = raised && (newlyRaised || previous.bypassArmed());
        alerts.put(pool, new PoolAlert(alert, raised, armed));
        if (newlyRaised) {
            log.warn("capacity alert raised for the {} pool: {} of {} workers at their cap, utilisation {}: {}",
                    pool.name().toLowerCase(Locale.ROOT), alert.workersAtCap(), alert.workers(),
                    String.format(Locale.ROOT, "%.2f", alert.utilisation()), alert.reason());
        } else if (!raised && previous != null && previous.raised()) {
            log.info("capacity alert cleared for the {} pool: {}", pool.name().toLowerCase(Locale.ROOT),
                    alert.reason());
        }
    }

    public synchronized Optional<PoolAlert> get(Pool pool) {
        return Optional.ofNullable(alerts.get(pool));
    }

    public synchronized Map<Pool, PoolAlert> all() {
        return Map.copyOf(alerts);
    }

    public synchronized boolean raised(Pool pool) {
        PoolAlert a = alerts.get(pool);
        return a != null && a.raised();
    }

    public synchronized boolean bypassArmed(Pool pool) {
        PoolAlert a = alerts.get(pool);
        return a != null && a.bypassArmed();
    }

    /** Spends the pool's dwell bypass. */
    public synchronized void spendBypass(Pool pool) {
        PoolAlert a = alerts.get(pool);
        if (a != null) {
            alerts.put(pool, new PoolAlert(a.alert(), a.raised(), false));
        }
    }

    private static Pool pool(String name) {
        if (name != null) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "prefill" -> {
                    return Pool.PREFILL;
                }
                case "decode" -> {
                    return Pool.DECODE;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("capacity alert pool must be prefill or decode, was '" + name + "'");
    }
}
