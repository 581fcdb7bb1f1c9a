package dev.mxshift.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;


/**
 * The real Kafka broker an integration test talks to, chosen once per JVM:
 * <ol>
 *   <li>{@code MXSHIFT_KAFKA_BOOTSTRAP} when set (CI and {@code ./mxshift test} start {@code infra/kafka} and set it);</li>
 *   <li>otherwise Testcontainers' Kafka when a Docker engine answers;</li>
 *   <li>otherwise a KRaft broker inside this JVM ({@link InJvmKafkaBroker}).</li>
 * </ol>
 * All three are real brokers speaking the Kafka protocol; none is a mock.
 */
public final class KafkaTestBroker {

    public static final String BOOTSTRAP_ENV = "MXSHIFT_KAFKA_BOOTSTRAP";
    /** The image for machines with Docker; the same Kafka line as the clients Boot manages. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestBroker.class);

    public enum Source { ENVIRONMENT, TESTCONTAINERS, IN_JVM }

    public record Broker(String bootstrapServers, Source source) {
    }

    private static Broker shared;

    private KafkaTestBroker() {
    }

    /** The broker for this JVM's tests, started on first use and stopped when the JVM exits. */
    public static synchronized Broker shared() {
        if (shared == null) {
            shared = choose();
            LOG.info("integration tests use the Kafka broker at {} ({})", shared.bootstrapServers(), shared.source());
        }
        return shared;
    }

    public static String bootstrapServers() {
        return shared().bootstrapServers();
    }

    private static Broker choose() {
        String fromEnv = System.getenv(BOOTSTRAP_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Broker(fromEnv.trim(), Source.ENVIRONMENT);
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            return new Broker(container.getBootstrapServers(), Source.TESTCONTAINERS);
        }
        InJvmKafkaBroker broker = InJvmKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-in-jvm-stop"));
        return new Broker(broker.bootstrapServers(), Source.IN_JVM);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
