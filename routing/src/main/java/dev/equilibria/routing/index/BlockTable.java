package dev.equilibria.routing.index;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data both index modes share: each worker's set of cached block hashes, and the inverse map from a hash to the
 * workers caching it, for a longest-prefix query that reads each of the request's hashes once. Workers get small
 * integer slots (reused after a worker leaves) that index the bitsets. Not thread-safe; the indexes lock around it.
 */
final class BlockTable {

    private final Map<String, Integer> slots = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private final List<LongSet> blocks = new ArrayList<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private final HashWorkerTable table = new HashWorkerTable();

    boolean knows(String workerId) {
        return slots.containsKey(workerId);
    }

    /** The worker's slot, assigned on first use. */
    int slot(String workerId) {
        Integer slot = slots.get(workerId);
        if (slot != null) {
            return slot;
        }
        int s;
        if (freeSlots.isEmpty()) {
            s = ids.size();
            ids.add(workerId);
            blocks.add(new LongSet());
        } else {
            s = freeSlots.pop();
            ids.set(s, workerId);
        }
        slots.put(workerId, s);
        return s;
    }

    void store(int slot, long hash) {
        if (blocks.get(slot).add(hash)) {
            table.add(hash, slot);
        }
    }

    void remove(int slot, long hash) {
        if (blocks.get(slot).remove(hash)) {
            table.remove(hash, slot);
        }
    }

    boolean contains(int slot, long hash) {
        return blocks.get(slot).contains(hash);
    }

    void clear(int slot) {
        LongSet set = blocks.get(slot);
        set.forEach(hash -> table.remove(hash, slot));
        set.clear();
    }

    /** Forgets the worker and its blocks; its slot is reused later. */
    void drop(String workerId) {
        Integer slot = slots.remove(workerId);
        if (slot == null) {
            return;
        }
        clear(slot);
        ids.set(slot, null);
        freeSlots.push(slot);
    }

    int cachedBlocks(String workerId) {
        Integer slot = slots.get(workerId);
        return slot == null ? 0 : blocks.get(slot).size();
    }

    /** Distinct hashes cached anywhere. */
    int distinctBlocks() {
        return table.size();
    }

    Collection<String> workers() {
        return List.copyOf(slots.keySet());
    }

    Map<String, Integer> blockCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        slots.forEach((id, slot) -> counts.put(id, blocks.get(slot).size()));
        return counts;
    }

    int[] overlaps(long[] hashes, List<String> workerIds) {
        return overlaps(PrefixHashes.of(hashes), workerIds);
    }

    /** For each of {@code workerIds}, how many leading {@code hashes} it caches (0 for workers never seen). */
    int[] overlaps(PrefixHashes hashes, List<String> workerIds) {
        int[] result = new int[workerIds.size()];
        if (workerIds.isEmpty() || hashes.length() == 0) {
            return result;
        }
        int[] bySlot = new int[ids.size()];
        long[] active = new long[(ids.size() + 63) >>> 6];
        int[] slotOf = new int[workerIds.size()];
        for (int c = 0; c < slotOf.length; c++) {
            Integer slot = slots.get(workerIds.get(c));
            slotOf[c] = slot == null ? -1 : slot;
            if (slot != null) {
                active[slot >>> 6] |= 1L << (slot & 63);
            }
        }
        table.prefixMatch(hashes, active, bySlot);
        for (int c = 0; c < slotOf.length; c++) {
            result[c] = slotOf[c] < 0 ? 0 : bySlot[slotOf[c]];
        }
        return result;
    }

    List<Long> blocksOf(String workerId) {
        Integer slot = slots.get(workerId);
        List<Long> hashes = new ArrayList<>();
        if (slot != null) {
            blocks.get(slot).forEach(hashes::add);
        }
        return hashes;
    }
}
