package dev.equilibria.gateway.routing;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Workers an operator drained through this gateway's admin API. They leave routing at once, before their own
 * heartbeat reports the drain, and stay out until undrained here.
 */
@Component
public class DrainedWorkers {

    private final Set<String> drained = ConcurrentHashMap.newKeySet();

    public void drain(String workerId) {
        drained.add(workerId);
    }

    public void undrain(String workerId) {
        drained.remove(workerId);
    }

    public boolean contains(String workerId) {
        return drained.contains(workerId);
    }

    public Set<String> all() {
        return new TreeSet<>(drained);
    }
}
