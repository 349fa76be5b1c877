package dev.equilibria.control.efficiency;

import java.util.Map;

/**
 * Slots by each worker's declared share of the window, for pools of unequal workers (for example a share
 * proportional to the allocator's routing weights or to {@code max_num_seqs}).
 *
 * @param slotsByWorker slots per worker id
 * @param defaultSlots  slots of a worker the map does not name
 */
public record DeclaredSlots(Map<String, Integer> slotsByWorker, int defaultSlots) implements SlotPolicy {

    public static final String NAME = "declared";

    public DeclaredSlots {
        slotsByWorker = Map.copyOf(slotsByWorker);
        if (defaultSlots < 0 || slotsByWorker.values().stream().anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("declared slots must not be negative");
        }
    }

    @Override
    public int slots(String workerId, int requests, int workers) {
        return slotsByWorker.getOrDefault(workerId, defaultSlots);
    }
}
