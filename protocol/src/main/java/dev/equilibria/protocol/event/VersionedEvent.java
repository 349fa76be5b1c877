package dev.equilibria.protocol.event;

/**
 * An event carried on Kafka. The version is the schema's major version: readers accept fields they do not
 * know (minor additions) but refuse a major version newer than theirs.
 */
public interface VersionedEvent {

    /** Schema major version that this build writes and understands. */
    int CURRENT_VERSION = 1;

    int version();
}
