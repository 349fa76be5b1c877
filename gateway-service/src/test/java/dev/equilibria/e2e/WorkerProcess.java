package dev.equilibria.e2e;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A worker process (prefill-service or decode-service) for the gateway's end-to-end tests: worker-runtime's
 * auto-configuration hosts the workers. Lives outside the gateway's packages so neither application scans the other.
 * Started either in its own context inside the test JVM ({@link #builder}), or as a real OS process through
 * {@link #main} (see {@link OsWorkerProcess}) when a test needs to kill it.
 */
@SpringBootApplication
public class WorkerProcess {

    /**
     * The name of its configuration files, of which there are none: the gateway's {@code application.yml} and the
     * test {@code application.properties} are on this classpath too, and a worker must not take the gateway's
     * settings (its health groups name the gateway's indicators). Everything else comes from the command line.
     */
    static final String CONFIG_NAME = "worker-process";

    public static SpringApplicationBuilder builder() {
        // logging levels are the JVM's, not the context's: keep the broker's chatter down as the tests' own do
        return new SpringApplicationBuilder(WorkerProcess.class).properties("spring.config.name=" + CONFIG_NAME,
                "logging.level.kafka=WARN", "logging.level.org.apache.kafka=WARN",
                "logging.level.state.change.logger=WARN");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
