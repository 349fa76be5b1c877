package dev.equilibria.engine.sampling;

/** Picks the next output token of a simulated model. */
public interface TokenSampler {

    int next();
}
