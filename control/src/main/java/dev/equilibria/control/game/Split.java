package dev.equilibria.control.game;

/** Workers (TP-sized GPU groups) given to each pool. */
public record Split(int prefillWorkers, int decodeWorkers) {

    public Split {
        if (prefillWorkers < 0 || decodeWorkers < 0) {
            throw new IllegalArgumentException("worker counts must not be negative, was " + prefillWorkers + "P/"
                    + decodeWorkers + "D");
        }
    }

    public int workers(Pool pool) {
        return pool == Pool.PREFILL ? prefillWorkers : decodeWorkers;
    }

    public int total() {
        return prefillWorkers + decodeWorkers;
    }

    @Override
    public String toString() {
        return prefillWorkers + "P/" + decodeWorkers + "D";
    }
}
