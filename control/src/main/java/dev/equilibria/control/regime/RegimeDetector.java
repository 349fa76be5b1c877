package dev.equilibria.control.regime;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies the fleet's regime poll by poll: BELOW, TRANSITION or SATURATED.
 *
 * <p><b>Entering</b> a higher regime needs {@code k} consecutive polls whose symptoms point above the current one:
 * the EWMA of TTFT P99 at or above {@code theta1}/{@code theta2} (the paper's signal), or the hottest pool's
 * utilisation score EWMA at or above {@code utilisation_transition}/{@code utilisation_saturated} (the signal the
 * paper proposes). The regime entered is the lowest one the run pointed at, and the signals reported are those that
 * pointed above on every poll of the run (or, if they took turns, either).
 *
 * <p><b>Leaving</b> needs {@code k} consecutive polls on which both hold: the symptoms have cleared with a dead band
 * (below {@code (1 - symptom_exit_margin)} times the entry thresholds), and the load EWMA (offered load by default)
 * is at or below {@code (1 - load_exit_margin)} times its value when the regime was entered. The second condition is
 * what stops the loop "herd -> TTFT up -> balance -> herd breaks up -> TTFT down -> affinity -> herd returns": the
 * controller's own action removes the symptom but not the load. If the load was unknown at entry, the symptom alone
 * decides, as in the paper. So it does if the load has since risen to {@link #LOAD_RISE_RELEASE} times its value at
 * entry or more: symptoms that cleared while the load doubled did not come from the load, as after a cold start (the
 * first requests of a fresh fleet are slow at almost no load; holding until the load fell below that would hold
 * forever). The price: a herd that balancing broke up comes back once per doubling of a rising load.
 *
 * <p>The controller tells the detector when the load condition has something to guard: {@link #holdOnLoad} waives
 * it while the controller has not changed routing (no action of its own can have cleared the symptom; a fresh
 * fleet's slow first requests are the common case), and {@link #anchorLoad} re-anchors it at the load of the moment
 * routing changed.
 *
 * <p>Single caller (the monitor's poll loop); not thread-safe. Time comes only from the polls.
 */
public final class RegimeDetector {

    /**
     * A load EWMA at least this many times its value at entry releases the load condition: the symptom alone
     * decides.
     */
    public static final double LOAD_RISE_RELEASE = 2.0;

    private final RegimeDetectorConfig config;
    private final Ewma ttft;
    private final Ewma utilisation;
    private final Ewma load;
    private final Map<Regime, Double> entryLoad = new EnumMap<>(Regime.class);

    private Regime regime = Regime.BELOW;
    private int upRun;
    private Regime upTarget;
    private Set<Signal> upSignalsEvery = EnumSet.noneOf(Signal.class);
    private Set<Signal> upSignalsAny = EnumSet.noneOf(Signal.class);
    private int downRun;
    private Regime downTarget;
    private boolean loadHold = true;

    public RegimeDetector(RegimeDetectorConfig config) {
        this.config = config;
        this.ttft = new Ewma(config.ewmaAlpha());
        this.utilisation = new Ewma(config.ewmaAlpha());
        this.load = new Ewma(config.ewmaAlpha());
    }

    public RegimeDetectorConfig config() {
        return config;
    }

    public Regime regime() {
        return regime;
    }

    /**
     * Whether the load condition applies when leaving a regime (it does by default). Waived, the symptoms alone
     * decide, as when the load was unknown at entry.
     */
    public void holdOnLoad(boolean hold) {
        loadHold = hold;
    }

    /** Re-anchors the load condition of every regime the fleet is in at the current load EWMA. */
    public void anchorLoad() {
        for (int r = 1; r <= regime.ordinal(); r++) {
            entryLoad.put(Regime.values()[r], load.value());
        }
    }

    public RegimeReading observe(Poll poll) {
        double ttftEwma = ttft.update(poll.ttftP99Ms());
        String hottest = null;
        double hottestScore = Double.NaN;
        for (PoolState pool : poll.pools()) {
            double score = pool.utilisation(config.caps());
            if (hottest == null || score > hottestScore) {
                hottest = pool.pool();
                hottestScore = score;
            }
        }
        double utilEwma = utilisation.update(hottestScore);
        double loadSample = config.exitLoadSignal() == ExitLoadSignal.OFFERED_LOAD ? poll.offeredLoad() : hottestScore;
        double loadEwma = load.update(loadSample);

        Regime ttftUp = level(ttftEwma, config.theta1Ms(), config.theta2Ms());
        Regime utilUp = level(utilEwma, config.transitionUtilisation(), config.saturatedUtilisation());
        Regime indicated = Regime.max(ttftUp, utilUp);
        double keep = 1 - config.symptomExitMargin();
        Regime symptom = Regime.max(level(ttftEwma, config.theta1Ms() * keep, config.theta2Ms() * keep),
                level(utilEwma, config.transitionUtilisation() * keep, config.saturatedUtilisation() * keep));

        Regime previous = regime;
        Set<Signal> fired = EnumSet.noneOf(Signal.class);
        String reason;
        if (indicated.isAbove(regime)) {
            downRun = 0;
            Set<Signal> now = EnumSet.noneOf(Signal.class);
            if (ttftUp.isAbove(regime)) {
                now.add(Signal.TTFT_P99);
            }
            if (utilUp.isAbove(regime)) {
                now.add(Signal.UTILISATION);
            }
            if (upRun++ == 0) {
                upTarget = indicated;
                upSignalsEvery = EnumSet.copyOf(now);
                upSignalsAny = EnumSet.copyOf(now);
            } else {
                upTarget = Regime.min(upTarget, indicated);
                upSignalsEvery.retainAll(now);
                upSignalsAny.addAll(now);
            }
            if (upRun >= config.confirmPolls()) {
                fired.addAll(upSignalsEvery.isEmpty() ? upSignalsAny : upSignalsEvery);
                reason = String.format(Locale.ROOT, "%s for %d polls: %s", describe(fired, ttftEwma, utilEwma, hottest),
                        upRun, regime + " -> " + upTarget);
                enter(upTarget, loadEwma);
            } else {
                reason = String.format(Locale.ROOT, "%d/%d polls toward %s", upRun, config.confirmPolls(), indicated);
            }
        } else {
            upRun = 0;
            Regime loadFloor = loadFloor(loadEwma);
            Regime target = Regime.max(symptom, loadFloor);
            if (target.compareTo(regime) < 0) {
                downTarget = downRun++ == 0 ? target : Regime.max(downTarget, target);
                if (downRun >= config.confirmPolls()) {
                    boolean loadKnown = !Double.isNaN(entryLoad.getOrDefault(regime, Double.NaN));
                    fired.add(loadHold && loadKnown ? loadSignal() : symptomSignal(ttftEwma));
                    String load = !loadHold ? "no routing change of the controller's to hold for"
                            : loadKnown ? describeLoadExit(loadEwma) : "load unknown at entry";
                    reason = String.format(Locale.ROOT,
                            "symptoms cleared (TTFT P99 EWMA %.0f ms, utilisation %.2f) and %s for %d polls: %s",
                            ttftEwma, utilEwma, load, downRun, regime + " -> " + downTarget);
                    leave(downTarget);
                } else {
                    reason = String.format(Locale.ROOT, "%d/%d polls toward %s", downRun, config.confirmPolls(),
                            target);
                }
            } else {
                downRun = 0;
                reason = holdingReason(symptom);
            }
        }
        return new RegimeReading(poll.timestampMs(), regime, previous, regime != previous, fired, reason, indicated,
                ttftEwma, utilEwma, hottest, loadEwma);
    }

    private static Regime level(double value, double transition, double saturated) {
        if (Double.isNaN(value) || value < transition) {
            return Regime.BELOW;
        }
        return value < saturated ? Regime.TRANSITION : Regime.SATURATED;
    }

    /** The lowest regime the load condition lets the fleet fall to from the current one. */
    private Regime loadFloor(double loadEwma) {
        if (!loadHold) {
            return Regime.BELOW;
        }
        Regime floor = regime;
        for (int r = regime.ordinal(); r > 0; r--) {
            Double entered = entryLoad.get(Regime.values()[r]);
            boolean ok = entered == null || Double.isNaN(entered)
                    || (!Double.isNaN(loadEwma) && (loadEwma <= entered * (1 - config.loadExitMargin())
                    || loadRoseSince(entered, loadEwma)));
            if (!ok) {
                break;
            }
            floor = Regime.values()[r - 1];
        }
        return floor;
    }

    private static boolean loadRoseSince(double entered, double loadEwma) {
        return loadEwma > 0 && loadEwma >= entered * LOAD_RISE_RELEASE;
    }

    private void enter(Regime target, double loadEwma) {
        for (int r = regime.ordinal() + 1; r <= target.ordinal(); r++) {
            entryLoad.put(Regime.values()[r], loadEwma);
        }
        regime = target;
        upRun = 0;
        downRun = 0;
    }

    private void leave(Regime target) {
        for (int r = target.ordinal() + 1; r <= regime.ordinal(); r++) {
            entryLoad.remove(Regime.values()[r]);
        }
        regime = target;
        upRun = 0;
        downRun = 0;
    }

    private Signal loadSignal() {
        return config.exitLoadSignal() == ExitLoadSignal.OFFERED_LOAD ? Signal.OFFERED_LOAD : Signal.UTILISATION;
    }

    private Signal symptomSignal(double ttftEwma) {
        return Double.isNaN(ttftEwma) ? Signal.UTILISATION : Signal.TTFT_P99;
    }

    private String describe(Set<Signal> fired, double ttftEwma, double utilEwma, String pool) {
        StringBuilder s = new StringBuilder();
        if (fired.contains(Signal.TTFT_P99)) {
            s.append(String.format(Locale.ROOT, "TTFT P99 EWMA %.0f ms >= %s", ttftEwma,
                    ttftEwma >= config.theta2Ms() ? String.format(Locale.ROOT, "theta2 %.0f ms", config.theta2Ms())
                            : String.format(Locale.ROOT, "theta1 %.0f ms", config.theta1Ms())));
        }
        if (fired.contains(Signal.UTILISATION)) {
            if (s.length() > 0) {
                s.append(" and ");
            }
            s.append(String.format(Locale.ROOT, "utilisation %.2f of pool %s >= %.2f", utilEwma, pool,
                    utilEwma >= config.saturatedUtilisation() ? config.saturatedUtilisation()
                            : config.transitionUtilisation()));
        }
        return s.toString();
    }

    private String describeLoadExit(double loadEwma) {
        double entered = entryLoad.getOrDefault(regime, Double.NaN);
        String name = config.exitLoadSignal() == ExitLoadSignal.OFFERED_LOAD ? "offered load" : "utilisation";
        if (loadRoseSince(entered, loadEwma)) {
            return String.format(Locale.ROOT, "%s %.2f >= %.0fx the %.2f at entry (the symptom did not come from the"
                    + " load)", name, loadEwma, LOAD_RISE_RELEASE, entered);
        }
        return String.format(Locale.ROOT, "%s %.2f <= %.0f%% of %.2f at entry", name, loadEwma,
                100 * (1 - config.loadExitMargin()), entered);
    }

    private String holdingReason(Regime symptom) {
        if (regime == Regime.BELOW) {
            return "below thresholds";
        }
        if (symptom.compareTo(regime) < 0) {
            return String.format(Locale.ROOT, "holding %s: symptoms cleared but load %.2f not below %.0f%% of %.2f"
                    + " at entry", regime, load.value(), 100 * (1 - config.loadExitMargin()),
                    entryLoad.getOrDefault(regime, Double.NaN));
        }
        return "holding " + regime;
    }
}
