package dev.equilibria.worker.host;

/**
 * Engine time for a live worker: nanoseconds since the worker started, running {@code timeScale} times faster
 * than the wall clock so a simulated fleet can run ahead of real time.
 */
final class ScaledClock {

    private final long startWallNanos = System.nanoTime();
    private final double timeScale;

    ScaledClock(double timeScale) {
        this.timeScale = timeScale;
    }

    long nowNanos() {
        return (long) ((System.nanoTime() - startWallNanos) * timeScale);
    }

    /** Wall-clock nanoseconds until engine time reaches {@code engineNanos}. */
    long wallNanosUntil(long engineNanos) {
        return (long) ((engineNanos - nowNanos()) / timeScale);
    }
}
