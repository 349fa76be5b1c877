package dev.equilibria.fleet;

/** Tiny programs the process tests start as children. */
final class TestMains {

    private TestMains() {
    }

    /** Prints numbered lines and exits with the code given as its argument. */
    static final class Exiting {
        public static void main(String[] args) {
            for (int i = 1; i <= 30; i++) {
                System.out.println("line " + i);
            }
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Runs until stopped; says goodbye on SIGTERM. */
    static final class Sleeping {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping on request")));
            System.out.println("sleeping");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Ignores SIGTERM for a while, so it has to be killed. */
    static final class Stubborn {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            System.out.println("stubborn");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
