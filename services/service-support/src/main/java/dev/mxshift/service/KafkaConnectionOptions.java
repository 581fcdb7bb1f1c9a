package dev.mxshift.service;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of every command that talks to Kafka itself: where the cluster is, and how to reach a secured one. */
public final class KafkaConnectionOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:MXSHIFT_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $MXSHIFT_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE})")
    public String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:MXSHIFT_KAFKA_CONFIG}",
            description = "Kafka client properties for a secured cluster (security.protocol, sasl.*, ssl.*); see docs/kafka-security.md")
    public Path config;

    /** The settings every client of the command connects with ({@link KafkaClientSettings#withConfigFile}). */
    public KafkaClientSettings settings() {
        return KafkaClientSettings.withConfigFile(bootstrap, config);
    }
}
