package dev.equilibria.engine.scheduler;

import dev.equilibria.engine.kv.BlockTable;
import dev.equilibria.protocol.kv.BlockHasher;
import java.util.Arrays;

/**
 * One request's state inside a worker's engine: its tokens, how many have KV, and the blocks it holds. The prompt
 * is the request's own array (never copied, since prompts run to tens of thousands of tokens); output tokens and
 * block hashes live in arrays sized for the whole sequence up front, so a step does not reallocate them.
 */
public final class Sequence {

    private final SequenceRequest request;
    private final SequenceListener listener;
    private final BlockHasher hasher;
    private final int[] prompt;
    private int[] generated;
    private int generatedCount;
    private long[] fullHashes;
    private int fullHashCount;
    private final int promptLength;
    private final long arrivalNanos;

    int computedTokens;
    BlockTable blocks;
    long readyAtNanos;
    int cachedPromptTokens = -1;
    int preemptions;
    boolean finished;
    boolean kvReceived;
    long transferNanos;
    long firstAdmittedNanos = -1;

    Sequence(SequenceRequest request, SequenceListener listener, BlockHasher hasher, long arrivalNanos) {
        this.request = request;
        this.listener = listener;
        this.hasher = hasher;
        this.prompt = request.promptTokenIds();
        this.promptLength = prompt.length;
        int[] received = request.generatedTokenIds();
        this.generated = Arrays.copyOf(received, Math.max(received.length, request.maxTokens()) + 1);
        this.generatedCount = received.length;
        this.arrivalNanos = arrivalNanos;
        int blockSize = hasher.blockSize();
        this.fullHashes = new long[(promptLength + generated.length) / blockSize + 1];
        long[] supplied = request.promptHashesFor(blockSize);
        if (supplied != null) {
            System.arraycopy(supplied, 0, fullHashes, 0, supplied.length);
            fullHashCount = supplied.length;
        } else {
            long parent = BlockHasher.ROOT_HASH;
            for (int b = 0, n = promptLength / blockSize; b < n; b++) {
                parent = hasher.hashBlock(parent, prompt, b * blockSize);
                fullHashes[fullHashCount++] = parent;
            }
        }
        while ((fullHashCount + 1) * blockSize <= numTokens()) {
            hashNextBlock();
        }
    }

    public String requestId() {
        return request.requestId();
    }

    public SequenceMode mode() {
        return request.mode();
    }

    public int promptLength() {
        return promptLength;
    }

    public int numTokens() {
        return promptLength + generatedCount;
    }

    /** Tokens generated so far, the ones received with the request included. */
    public int generatedCount() {
        return generatedCount;
    }

    public int[] generatedTokenIds() {
        return Arrays.copyOf(generated, generatedCount);
    }

    /** Prompt tokens this worker found cached when it first admitted the sequence; -1 before admission. */
    public int cachedPromptTokens() {
        return cachedPromptTokens;
    }

    public int computedTokens() {
        return computedTokens;
    }

    /** When the scheduler first admitted the sequence into the batch; -1 while it has only waited. */
    public long firstAdmittedNanos() {
        return firstAdmittedNanos;
    }

    /** Model time the KV handoff into this worker took; 0 unless decode-only. */
    public long transferNanos() {
        return transferNanos;
    }

    public int preemptions() {
        return preemptions;
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** Hashes of the full blocks of every token so far (prompt and output). */
    public long[] fullBlockHashes() {
        return Arrays.copyOf(fullHashes, fullHashCount);
    }

    /** Hashes of the prompt's full blocks. */
    public long[] promptBlockHashes() {
        return Arrays.copyOf(fullHashes, Math.min(fullHashCount, promptLength / hasher.blockSize()));
    }

    SequenceRequest request() {
        return request;
    }

    SequenceListener listener() {
        return listener;
    }

    boolean isStopToken(int token) {
        for (int stop : request.stopTokenIds()) {
            if (stop == token) {
                return true;
            }
        }
        return false;
    }

    /** Tokens still to compute before the next token can be sampled. */
    int remainingTokens() {
        return numTokens() - computedTokens;
    }

    void append(int token) {
        if (generatedCount == generated.length) {
            generated = Arrays.copyOf(generated, generated.length * 2);
        }
        generated[generatedCount++] = token;
        if (numTokens() % hasher.blockSize() == 0) {
            hashNextBlock();
        }
    }

    /** The hash array the first {@link #fullHashCount()} entries of which are valid; not to be changed. */
    long[] hashArray() {
        return fullHashes;
    }

    int fullHashCount() {
        return fullHashCount;
    }

    /** Number of full blocks among the first {@code computed} tokens, the ones whose KV exists. */
    int computedBlockCount() {
        return Math.min(fullHashCount, computedTokens / hasher.blockSize());
    }

    private void hashNextBlock() {
        int blockSize = hasher.blockSize();
        int start = fullHashCount * blockSize;
        long parent = fullHashCount == 0 ? BlockHasher.ROOT_HASH : fullHashes[fullHashCount - 1];
        long hash;
        if (start + blockSize <= promptLength) {
            hash = hasher.hashBlock(parent, prompt, start);
        } else if (start >= promptLength) {
            hash = hasher.hashBlock(parent, generated, start - promptLength);
        } else { // the block spans the end of the prompt and the first output tokens
            int[] block = new int[blockSize];
            int fromPrompt = promptLength - start;
            System.arraycopy(prompt, start, block, 0, fromPrompt);
            System.arraycopy(generated, 0, block, fromPrompt, blockSize - fromPrompt);
            hash = hasher.hashBlock(parent, block, 0);
        }
        if (fullHashCount == fullHashes.length) {
            fullHashes = Arrays.copyOf(fullHashes, fullHashes.length * 2);
        }
        fullHashes[fullHashCount++] = hash;
    }
}
