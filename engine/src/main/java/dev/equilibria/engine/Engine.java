package dev.equilibria.engine;

import dev.equilibria.engine.kv.BlockManager;
import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.engine.sampling.TokenSampler;
import dev.equilibria.engine.scheduler.KvAdmission;
import dev.equilibria.engine.scheduler.Scheduler;
import dev.equilibria.engine.scheduler.SchedulerStats;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.TimingModel;
import java.time.Duration;
import java.util.List;

/**
 * One GPU worker's engine: a paged KV cache and a continuous-batching scheduler over a timing model. It never
 * sleeps and never reads a clock: a driver calls {@link #beginStep} with the current time, waits the returned
 * duration (in real or virtual time) and calls {@link #finishStep}. Not thread-safe; the driver serialises calls.
 */
public final class Engine {

    private final EngineConfig config;
    private final BlockManager blocks;
    private final Scheduler scheduler;

    /** How long a prefill worker pins a handed-off sequence's KV when the decode worker never confirms. */
    public static final Duration DEFAULT_HANDOFF_HOLD_TIMEOUT = Duration.ofSeconds(30);

    public Engine(EngineConfig config, TimingModel timing, LinkProfile handoffLink, TokenSampler sampler,
                  KvEventSink kvEvents) {
        this(config, timing, handoffLink, sampler, kvEvents, DEFAULT_HANDOFF_HOLD_TIMEOUT);
    }

    public Engine(EngineConfig config, TimingModel timing, LinkProfile handoffLink, TokenSampler sampler,
                  KvEventSink kvEvents, Duration handoffHoldTimeout) {
        this.config = config;
        this.blocks = new BlockManager(config.numBlocks(), config.blockSize(), kvEvents);
        this.scheduler = new Scheduler(config, blocks, timing, handoffLink, sampler, handoffHoldTimeout);
    }

    /** Chooses the KV admission model (default {@link KvAdmission#LAZY}). */
    public Engine withKvAdmission(KvAdmission admission) {
        scheduler.setKvAdmission(admission);
        return this;
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Queues a sequence.
     *
     * @throws IllegalArgumentException when the sequence can never fit this engine
     */
    public Sequence submit(SequenceRequest request, SequenceListener listener, long nowNanos) {
        int prompt = request.promptTokenIds().length;
        if (prompt == 0) {
            throw new IllegalArgumentException("prompt must not be empty");
        }
        int longest = prompt + Math.max(request.maxTokens(), request.generatedTokenIds().length);
        if (longest > config.maxModelLen()) {
            throw new IllegalArgumentException("prompt (" + prompt + " tokens) plus max_tokens ("
                    + request.maxTokens() + ") exceeds max_model_len " + config.maxModelLen());
        }
        if ((longest + config.blockSize() - 1) / config.blockSize() > config.numBlocks()) {
            throw new IllegalArgumentException("sequence of " + longest + " tokens does not fit the KV cache of "
                    + config.numBlocks() + " blocks");
        }
        if (request.mode() == SequenceMode.DECODE_ONLY && request.generatedTokenIds().length == 0) {
            throw new IllegalArgumentException("a decode-only sequence needs the first token from prefill");
        }
        return scheduler.enqueue(request, listener, nowNanos);
    }

    public boolean cancel(String requestId, String reason) {
        return scheduler.cancel(requestId, reason);
    }

    public boolean hasWork() {
        return scheduler.hasWork();
    }

    /** No sequence queued or running and no KV pinned for a handoff: safe to change role. */
    public boolean isIdle() {
        return !scheduler.hasWork() && scheduler.heldHandoffs() == 0;
    }

    /** See {@link Scheduler#releaseHandoff}. */
    public boolean releaseHandoff(String requestId) {
        return scheduler.releaseHandoff(requestId);
    }

    public int heldHandoffs() {
        return scheduler.heldHandoffs();
    }

    /** The next step's batch, or null when nothing can run now (see {@link #nextReadyNanos}). */
    public StepPlan beginStep(long nowNanos) {
        return scheduler.schedule(nowNanos);
    }

    public void finishStep(StepPlan plan) {
        scheduler.complete(plan);
    }

    /** When a sequence waiting for its KV transfer becomes runnable, or Long.MAX_VALUE. */
    public long nextReadyNanos(long nowNanos) {
        return scheduler.nextReadyNanos(nowNanos);
    }

    /**
     * True while a sequence submitted now would get a batch slot at the next step: the running and queued sequences
     * together leave one of {@code max_num_seqs} free. A worker asked to refuse work it would only queue checks this.
     */
    public boolean hasFreeSlot() {
        return scheduler.runningCount() + scheduler.waitingCount() < config.maxNumSeqs();
    }

    public int runningCount() {
        return scheduler.runningCount();
    }

    public int waitingCount() {
        return scheduler.waitingCount();
    }

    public long pendingPrefillTokens() {
        return scheduler.pendingPrefillTokens();
    }

    public int usedBlocks() {
        return blocks.usedBlocks();
    }

    public int cachedBlocks() {
        return blocks.cachedBlocks();
    }

    public int cachedPrefixBlocks(long[] hashes) {
        return blocks.cachedPrefixBlocks(hashes);
    }

    /** Every block hash in the prefix cache, for a full snapshot. */
    public List<Long> cachedBlockHashes() {
        return blocks.cachedHashes();
    }

    public SchedulerStats stats() {
        return scheduler.stats();
    }
}
