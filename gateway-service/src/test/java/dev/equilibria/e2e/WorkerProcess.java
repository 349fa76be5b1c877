package dev.equilibria.e2e;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker process (prefill-service or decode-service) for the gateway's end-to-end tests: worker-runtime's
 * auto-configuration hosts the workers. Lives outside the gateway's packages so neither application scans the other.
 */
@SpringBootApplication
public class WorkerProcess {
}
