package dev.equilibria.fleet;

import java.util.regex.Pattern;

/**
 * A worker service process beyond the fleet's own prefill-service and decode-service: another JVM of the same module
 * hosting {@code workers} workers whose ids start with {@code idPrefix}, on a port of its own. Fault tests use one
 * to kill some workers of a pool (a whole process) and leave the others serving. {@code ./fleet up} starts none.
 *
 * @param module   {@link ServiceSpec#PREFILL} or {@link ServiceSpec#DECODE}
 * @param workers  how many workers it hosts
 * @param idPrefix its workers' id prefix; distinct from the pool's own ({@code prefill}, {@code decode}) and from
 *                 the other extra processes', so worker ids stay unique
 */
public record ExtraWorkerProcess(String module, int workers, String idPrefix) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]*");

    public ExtraWorkerProcess {
        if (!module.equals(ServiceSpec.PREFILL) && !module.equals(ServiceSpec.DECODE)) {
            throw new IllegalArgumentException("an extra worker process runs " + ServiceSpec.PREFILL + " or "
                    + ServiceSpec.DECODE + ", got '" + module + "'");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("an extra worker process needs at least one worker, got " + workers);
        }
        if (!PREFIX.matcher(idPrefix).matches() || idPrefix.equals("prefill") || idPrefix.equals("decode")) {
            throw new IllegalArgumentException("the worker id prefix must be lower-case letters, digits and dashes and"
                    + " differ from 'prefill' and 'decode', got '" + idPrefix + "'");
        }
    }

    /** One more decode-service process with {@code workers} workers named {@code <idPrefix>-<n>}. */
    public static ExtraWorkerProcess decode(int workers, String idPrefix) {
        return new ExtraWorkerProcess(ServiceSpec.DECODE, workers, idPrefix);
    }
}
