package dev.equilibria.worker.events;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.worker.host.WorkerHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/** Carries out commands addressed to this process's workers; commands for other workers are ignored. */
public class WorkerCommandListener {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommandListener.class);

    private final WorkerHost host;

    public WorkerCommandListener(WorkerHost host) {
        this.host = host;
    }

    // a group per process: every host must see every command, each keeps only its own workers'
    @KafkaListener(topics = Topics.WORKER_COMMANDS, groupId = "worker-host-#{T(java.util.UUID).randomUUID()}")
    public void onCommand(String json) {
        WorkerCommand command;
        try {
            command = EventCodec.decode(json, WorkerCommand.class);
        } catch (EventFormatException e) {
            log.warn("ignoring unreadable worker command: {}", e.getMessage());
            return;
        }
        host.find(command.workerId()).ifPresent(worker -> {
            log.info("worker {} executes {} from {}", worker.id(), command.type().wireName(), command.issuedBy());
            switch (command.type()) {
                case KV_SNAPSHOT -> worker.publishSnapshot();
                case DRAIN -> worker.setDraining(true);
                case UNDRAIN -> worker.setDraining(false);
                case SET_ROLE -> {
                    if (command.role() == null) {
                        log.warn("ignoring set_role for {} without a role", worker.id());
                    } else {
                        worker.switchRole(command.role());
                    }
                }
            }
        });
    }
}
