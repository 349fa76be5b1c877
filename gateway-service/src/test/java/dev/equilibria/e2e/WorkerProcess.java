package dev.equilibria.e2e;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker process (prefill-service or decode-service) for the gateway's end-to-end tests: worker-runtime's
 * auto-configuration hosts the workers. Lives outside the gateway's packages so neither application scans the other.
 * Tests run it in a context of their own, or as a separate JVM through {@link #main} when they need a real process
 * (signals, exit).
 */
@SpringBootApplication
public class WorkerProcess {

    public static void main(String[] args) {
        SpringApplication.run(WorkerProcess.class, args);
    }
}
