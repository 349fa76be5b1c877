package dev.equilibria.e2e;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker process (prefill-service or decode-service) for the gateway's end-to-end tests: worker-runtime's
 * auto-configuration hosts the workers. Lives outside the gateway's packages so neither application scans the other.
 * Started either in its own context inside the test JVM, or as a real OS process through {@link #main} (see
 * {@link OsWorkerProcess}) when a test needs to kill it.
 */
@SpringBootApplication
public class WorkerProcess {

    public static void main(String[] args) {
        SpringApplication.run(WorkerProcess.class, args);
    }
}
