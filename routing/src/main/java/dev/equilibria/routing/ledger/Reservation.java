package dev.equilibria.routing.ledger;

/**
 * One leg's load on one worker, held from dispatch until the leg ends. Both steps are idempotent, so every path
 * that can end a request (completion, error, timeout, cancellation) may call {@link #release()} without counting
 * twice.
 */
public interface Reservation {

    String workerId();

    /** The first token is back: the prompt's tokens no longer wait for prefill. */
    void prefillDone();

    /** The leg ended, however: everything it held is given back. */
    void release();

    /** A reservation that holds nothing, for legs that never reached a worker. */
    Reservation NONE = new Reservation() {
        @Override
        public String workerId() {
            return null;
        }

        @Override
        public void prefillDone() {
        }

        @Override
        public void release() {
        }
    };
}
