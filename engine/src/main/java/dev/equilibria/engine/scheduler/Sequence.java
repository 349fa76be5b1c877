package dev.equilibria.engine.scheduler;

import dev.equilibria.engine.kv.BlockTable;
import dev.equilibria.protocol.kv.BlockHasher;
import java.util.Arrays;

/** One request's state inside a worker's engine: its tokens, how many have KV, and the blocks it holds. */
public final class Sequence {

    private final SequenceRequest request;
    private final SequenceListener listener;
    private final BlockHasher hasher;
    private int[] tokens;
    private int numTokens;
    private long[] fullHashes = new long[0];
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
        this.promptLength = request.promptTokenIds().length;
        this.numTokens = promptLength + request.generatedTokenIds().length;
        this.tokens = Arrays.copyOf(request.promptTokenIds(), Math.max(16, numTokens + 16));
        System.arraycopy(request.generatedTokenIds(), 0, tokens, promptLength, request.generatedTokenIds().length);
        this.arrivalNanos = arrivalNanos;
        rehash();
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
        return numTokens;
    }

    /** Tokens generated so far, the ones received with the request included. */
    public int generatedCount() {
        return numTokens - promptLength;
    }

    public int[] generatedTokenIds() {
        return Arrays.copyOfRange(tokens, promptLength, numTokens);
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
        return fullHashes;
    }

    /** Hashes of the prompt's full blocks. */
    public long[] promptBlockHashes() {
        return Arrays.copyOf(fullHashes, Math.min(fullHashes.length, promptLength / hasher.blockSize()));
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
        return numTokens - computedTokens;
    }

    void append(int token) {
        if (numTokens == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[numTokens++] = token;
        if (numTokens % hasher.blockSize() == 0) {
            long parent = fullHashes.length == 0 ? BlockHasher.ROOT_HASH : fullHashes[fullHashes.length - 1];
            fullHashes = Arrays.copyOf(fullHashes, fullHashes.length + 1);
            fullHashes[fullHashes.length - 1] = hasher.hashBlock(parent, tokens, numTokens - hasher.blockSize());
        }
    }

    /** Hashes of the full blocks among the first {@code computed} tokens, the ones whose KV exists. */
    long[] computedBlockHashes() {
        int blocks = computedTokens / hasher.blockSize();
        return blocks >= fullHashes.length ? fullHashes : Arrays.copyOf(fullHashes, blocks);
    }

    private void rehash() {
        fullHashes = hasher.hash(tokens, numTokens);
    }
}
