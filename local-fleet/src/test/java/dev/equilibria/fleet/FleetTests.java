package dev.equilibria.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the tests that start a whole local fleet share: where the repository is, free ports, log tails. */
public final class FleetTests {

    private FleetTests() {
    }

    /** Set by the failsafe configuration; the module's parent folder when run from an IDE. */
    public static Path repositoryRoot() {
        String root = System.getProperty(FleetCommand.ROOT_PROPERTY);
        Path path = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        return path.toAbsolutePath().normalize();
    }

    /**
     * The first port offset from {@code from}, in steps of {@code step}, at which every service port, the broker's
     * two ports and {@code extraBasePorts} are free. Each test class starts from its own {@code from} so that classes
     * run one after another do not collide with a fleet still shutting down.
     */
    public static int freeOffset(int from, int step, int... extraBasePorts) {
        for (int offset = from; offset < 40000; offset += step) {
            int o = offset;
            boolean free = ServiceSpec.BASE_PORTS.values().stream().allMatch(p -> PortCheck.isFree(p + o))
                    && PortCheck.isFree(9092 + o) && PortCheck.isFree(9093 + o);
            for (int extra : extraBasePorts) {
                free &= PortCheck.isFree(extra + o);
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset");
    }

    public static void printLogTail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            System.out.println("--- last " + lines + " lines of " + log + " ---");
            all.stream().skip(Math.max(0, all.size() - lines)).forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("cannot read " + log + ": " + e.getMessage());
        }
    }
}
