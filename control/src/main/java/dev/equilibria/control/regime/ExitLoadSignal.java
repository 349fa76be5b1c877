package dev.equilibria.control.regime;

/** Which load measure the exit condition compares with its level at entry. */
public enum ExitLoadSignal {
    /** The poll's offered load: independent of routing, so the controller's own action cannot satisfy it. */
    OFFERED_LOAD,
    /**
     * The hottest pool's utilisation score. For poll sources without an offered-load estimate; less robust, since
     * breaking up a herd shortens queues somewhat.
     */
    UTILISATION
}
