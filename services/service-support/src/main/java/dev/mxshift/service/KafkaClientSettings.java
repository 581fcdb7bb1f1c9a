package dev.mxshift.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How every Kafka client of a process connects: the bootstrap servers and the connection properties (TLS, SASL)
 * given once, in the binder's {@code spring.cloud.stream.kafka.binder.configuration.*}. The binder's own clients read
 * them there; the clients mxshift makes itself (the state projector, the start-up readers, the operator commands)
 * take them from here through {@link KafkaClients}, so a secured cluster is configured in one place
 * (docs/kafka-security.md).
 */
public record KafkaClientSettings(String bootstrap, Map<String, String> connection) {

    /**
     * The compression of every producer of the event log and the state topic (the services' binders say the same in
     * their {@code application.yml}): the records are JSON carrying a domain's whole state, read by every service
     * (decision 0018, addendum 2026-12-02).
     */
    public static final String COMPRESSION = "lz4";

    public KafkaClientSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers configured (spring.cloud.stream.kafka.binder.brokers or --bootstrap)");
        }
        connection = Map.copyOf(connection == null ? Map.of() : connection);
    }

    public static KafkaClientSettings plaintext(String bootstrap) {
        return new KafkaClientSettings(bootstrap, Map.of());
    }

    /** For the commands' {@code --kafka-config FILE}: Kafka client properties (security.protocol, sasl.*, ssl.*); none when null. */
    public static KafkaClientSettings withConfigFile(String bootstrap, java.nio.file.Path file) {
        Map<String, String> connection = new HashMap<>();
        if (file != null) {
            java.util.Properties p = new java.util.Properties();
            try (java.io.Reader r = java.nio.file.Files.newBufferedReader(file)) {
                p.load(r);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--kafka-config " + file + ": cannot read it (" + e.getMessage() + ")");
            }
            p.stringPropertyNames().forEach(k -> connection.put(k, p.getProperty(k)));
        }
        return new KafkaClientSettings(bootstrap, connection);
    }

    /**
     * The bootstrap servers and every connection property, with the value of each secret one hidden (invariant 5): the
     * generated {@code toString} of a record would print SASL and key-store passwords wherever the settings are logged.
     */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        connection.forEach((name, value) -> shown.put(name, secret(name) ? "[hidden]" : value));
        return "KafkaClientSettings[bootstrap=" + bootstrap + ", connection=" + shown + "]";
    }

    /** Names like a secret's (a login module's own options included), or typed a password by Kafka's clients. */
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i).*(password|secret|jaas|token|credential|private|\\.key$|\\.key\\.).*");

    static boolean secret(String name) {
        if (SECRET_NAME.matcher(name).matches()) {
            return true;
        }
        for (org.apache.kafka.common.config.ConfigDef definitions : List.of(org.apache.kafka.clients.producer.ProducerConfig.configDef(),
                org.apache.kafka.clients.consumer.ConsumerConfig.configDef(), org.apache.kafka.clients.admin.AdminClientConfig.configDef())) {
            org.apache.kafka.common.config.ConfigDef.ConfigKey key = definitions.configKeys().get(name);
            if (key != null && key.type == org.apache.kafka.common.config.ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    /** The properties a client needs, plus the client's own. */
    public Map<String, Object> with(Map<String, Object> own) {
        Map<String, Object> all = new HashMap<>(connection);
        all.put("bootstrap.servers", bootstrap);
        all.putAll(own);
        return all;
    }
}
