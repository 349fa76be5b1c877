package dev.equilibria.engine.scheduler;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.kv.BlockManager;
import dev.equilibria.engine.kv.BlockTable;
import dev.equilibria.engine.sampling.TokenSampler;
import dev.equilibria.engine.timing.BatchShape;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.TimingModel;
import dev.equilibria.protocol.kv.BlockHasher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.time.Duration;

/**
 * Continuous batching as in vLLM: every step takes one token for each decoding sequence, fills the rest of the
 * {@code max_num_batched_tokens} budget with prompt chunks (chunked prefill), and admits waiting sequences in
 * arrival order while {@code max_num_seqs} and the KV pool allow. When a decoding sequence needs a block and none
 * is free, the most recently admitted sequence is preempted by recompute: its blocks are freed and it rejoins the
 * front of the queue with its output so far, so nothing is lost. Not thread-safe; the driver serialises calls.
 */
public final class Scheduler {

    private final EngineConfig config;
    private final BlockManager blocks;
    private final TimingModel timing;
    private final LinkProfile handoffLink;
    private final TokenSampler sampler;
    private final BlockHasher hasher;
    private final Deque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    /** Prefilled sequences whose blocks stay pinned until the decode worker has pulled their KV. */
    private final Map<String, HeldHandoff> held = new LinkedHashMap<>();
    private final long handoffHoldNanos;
    private KvAdmission admission = KvAdmission.LAZY;
    private final SchedulerStats stats = new SchedulerStats();

    public Scheduler(EngineConfig config, BlockManager blocks, TimingModel timing, LinkProfile handoffLink,
                     TokenSampler sampler, Duration handoffHoldTimeout) {
        this.config = config;
        this.handoffHoldNanos = handoffHoldTimeout.toNanos();
        this.blocks = blocks;
        this.timing = timing;
        this.handoffLink = handoffLink;
        this.sampler = sampler;
        this.hasher = new BlockHasher(config.blockSize());
    }

    public void setKvAdmission(KvAdmission admission) {
        this.admission = admission;
    }

    public Sequence enqueue(SequenceRequest request, SequenceListener listener, long nowNanos) {
        Sequence sequence = new Sequence(request, listener, hasher, nowNanos);
        waiting.addLast(sequence);
        return sequence;
    }

    /** Removes a sequence wherever it is and frees its blocks; false if it already left. */
    public boolean cancel(String requestId, String reason) {
        Sequence found = null;
        for (Sequence s : waiting) {
            if (s.requestId().equals(requestId)) {
                found = s;
            }
        }
        if (found != null) {
            waiting.remove(found);
        } else {
            for (Sequence s : running) {
                if (s.requestId().equals(requestId)) {
                    found = s;
                }
            }
            if (found == null) {
                return false;
            }
            release(found);
        }
        found.finished = true;
        stats.cancelled++;
        found.listener().onAborted(found, reason);
        return true;
    }

    public boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty();
    }

    /** Prefilled KV still pinned for a decode worker to pull. */
    public int heldHandoffs() {
        return held.size();
    }

    /**
     * Unpins a prefilled sequence's blocks once its decode worker holds the KV; they stay in the prefix cache.
     *
     * @return false when there was no such hold (already released or expired)
     */
    public boolean releaseHandoff(String requestId) {
        HeldHandoff hold = held.remove(requestId);
        if (hold == null) {
            return false;
        }
        blocks.free(hold.table());
        return true;
    }

    public int runningCount() {
        return running.size();
    }

    public int waitingCount() {
        return waiting.size();
    }

    /** Prompt tokens waiting to be computed, queued sequences included: the prefill backlog. */
    public long pendingPrefillTokens() {
        long pending = 0;
        for (Sequence s : waiting) {
            pending += s.remainingTokens();
        }
        for (Sequence s : running) {
            if (s.remainingTokens() > 1) {
                pending += s.remainingTokens();
            }
        }
        return pending;
    }

    public SchedulerStats stats() {
        return stats;
    }

    /** Earliest time a running sequence finishes its KV transfer, or Long.MAX_VALUE. */
    public long nextReadyNanos(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Sequence s : running) {
            if (s.readyAtNanos > nowNanos) {
                next = Math.min(next, s.readyAtNanos);
            }
        }
        return next;
    }

    /** Forms the next batch, or returns null when nothing can run now. */
    public StepPlan schedule(long nowNanos) {
        expireHolds(nowNanos);
        int budget = config.maxNumBatchedTokens();
        List<StepPlan.ScheduledChunk> chunks = new ArrayList<>(running.size() + 8); // no regrowth per step
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence s = running.get(i);
            if (s.readyAtNanos > nowNanos) {
                continue;
            }
            notifyKvReceived(s);
            if (!blocks.ensureCapacity(s.blocks, s.numTokens())) {
                if (!preemptFor(s)) {
                    i--; // s itself was preempted; the list shifted
                    continue;
                }
            }
            int chunk = Math.min(s.remainingTokens(), budget);
            chunks.add(new StepPlan.ScheduledChunk(s, chunk, isDecode(s)));
            budget -= chunk;
        }
        while (!waiting.isEmpty() && running.size() < config.maxNumSeqs() && budget > 0) {
            Sequence s = waiting.peekFirst();
            if (!admit(s, nowNanos)) {
                break; // first come, first served: nobody overtakes the head of the queue
            }
            waiting.pollFirst();
            if (s.readyAtNanos <= nowNanos) {
                notifyKvReceived(s);
                int chunk = Math.min(s.remainingTokens(), budget);
                chunks.add(new StepPlan.ScheduledChunk(s, chunk, isDecode(s)));
                budget -= chunk;
            }
        }
        if (chunks.isEmpty()) {
            return null;
        }
        BatchShape shape = shapeOf(chunks);
        return new StepPlan(nowNanos, timing.stepNanos(shape), shape, Collections.unmodifiableList(chunks));
    }

    /** Applies a step's results: KV computed, tokens sampled, finished sequences released. */
    public void complete(StepPlan plan) {
        stats.steps++;
        stats.busyNanos += plan.durationNanos();
        stats.promptTokensComputed += plan.shape().prefillTokens();
        List<StepPlan.ScheduledChunk> chunks = plan.chunks();
        for (int i = 0, n = chunks.size(); i < n; i++) { // indexed: no iterator per step
            StepPlan.ScheduledChunk chunk = chunks.get(i);
            Sequence s = chunk.sequence();
            if (s.finished || s.blocks == null) {
                continue; // cancelled or preempted while the step ran
            }
            s.computedTokens += chunk.tokens();
            blocks.commit(s.blocks, s.hashArray(), s.computedBlockCount());
            if (s.remainingTokens() == 0) {
                sampleNext(s, plan.endNanos() + handoffHoldNanos);
            }
        }
    }

    private void sampleNext(Sequence s, long holdUntil) {
        int token = sampler.next();
        int index = s.generatedCount();
        s.append(token);
        stats.generatedTokens++;
        FinishReason finish = null;
        if (s.mode() == SequenceMode.PREFILL_ONLY) {
            finish = FinishReason.HANDOFF;
        } else if (s.isStopToken(token)) {
            finish = FinishReason.STOP;
        } else if (s.generatedCount() >= s.request().maxTokens()) {
            finish = FinishReason.LENGTH;
        }
        if (finish == FinishReason.HANDOFF) {
            running.remove(s);
            held.put(s.requestId(), new HeldHandoff(s.blocks, holdUntil));
            s.blocks = null;
            s.finished = true;
            stats.finished++;
        } else if (finish != null) {
            release(s);
            s.finished = true;
            stats.finished++;
        }
        s.listener().onToken(s, index, token, finish);
    }

    private boolean admit(Sequence s, long nowNanos) {
        int tokens = admission == KvAdmission.RESERVE
                ? s.promptLength() + Math.max(s.request().maxTokens(), s.generatedCount()) : s.numTokens();
        BlockTable table = blocks.allocate(s.hashArray(), s.fullHashCount(), tokens, s.numTokens());
        if (table == null) {
            return false;
        }
        s.blocks = table;
        running.add(s);
        boolean firstAdmission = s.cachedPromptTokens < 0;
        if (firstAdmission) {
            s.firstAdmittedNanos = nowNanos;
            s.cachedPromptTokens = Math.min(table.cachedTokens(), s.promptLength());
            stats.promptTokens += s.promptLength();
            stats.cachedPromptTokens += s.cachedPromptTokens;
        }
        if (s.mode() == SequenceMode.DECODE_ONLY && firstAdmission) {
            // the KV of everything but the last token arrives from the prefill worker; only the uncached part moves
            s.computedTokens = s.numTokens() - 1;
            long bytes = (long) Math.max(0, s.computedTokens - table.cachedTokens()) * config.kvBytesPerToken();
            s.transferNanos = handoffLink.transferNanos(bytes);
            s.readyAtNanos = nowNanos + s.transferNanos;
            stats.handoffBytes += bytes;
        } else {
            s.computedTokens = table.cachedTokens();
            s.readyAtNanos = nowNanos;
        }
        return true;
    }

    /** Frees blocks for {@code needy} by preempting the newest sequences; false if {@code needy} itself went. */
    private boolean preemptFor(Sequence needy) {
        while (!blocks.ensureCapacity(needy.blocks, needy.numTokens())) {
            Sequence victim = running.get(running.size() - 1);
            preempt(victim);
            if (victim == needy) {
                return false;
            }
        }
        return true;
    }

    private void preempt(Sequence victim) {
        release(victim);
        victim.computedTokens = 0;
        victim.readyAtNanos = 0;
        victim.preemptions++;
        stats.preemptions++;
        waiting.addFirst(victim);
    }

    private void release(Sequence s) {
        running.remove(s);
        if (s.blocks != null) {
            blocks.free(s.blocks);
            s.blocks = null;
        }
    }

    private void notifyKvReceived(Sequence s) {
        if (s.mode() == SequenceMode.DECODE_ONLY && !s.kvReceived) {
            s.kvReceived = true;
            s.listener().onKvReceived(s);
        }
    }

    /** A decode worker that never confirmed must not pin blocks forever. */
    private void expireHolds(long nowNanos) {
        for (Iterator<HeldHandoff> it = held.values().iterator(); it.hasNext(); ) {
            HeldHandoff hold = it.next();
            if (hold.expiresAtNanos() <= nowNanos) {
                it.remove();
                blocks.free(hold.table());
                stats.expiredHandoffs++;
            }
        }
    }

    private record HeldHandoff(BlockTable table, long expiresAtNanos) {
    }

    private static boolean isDecode(Sequence s) {
        return s.computedTokens >= s.promptLength() && s.remainingTokens() == 1;
    }

    private static BatchShape shapeOf(List<StepPlan.ScheduledChunk> chunks) {
        int prefillTokens = 0;
        int prefillSeqs = 0;
        int decodeSeqs = 0;
        long kv = 0;
        double pairs = 0;
        for (StepPlan.ScheduledChunk c : chunks) {
            if (c.decode()) {
                decodeSeqs++;
                kv += c.sequence().numTokens();
            } else {
                prefillSeqs++;
                prefillTokens += c.tokens();
                pairs += c.tokens() * (c.sequence().computedTokens + c.tokens() / 2.0);
            }
        }
        return new BatchShape(prefillTokens, prefillSeqs, decodeSeqs, kv, pairs);
    }
}
