package dev.mxshift.service;

import dev.mxshift.model.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service needs, as the catalogue specifies them (the event log kept forever, the state topic
 * compacted), before any binding does with broker defaults (a 7-day retention would delete the system of record).
 * An existing topic is left as it is, but the event log and the state topic must have the same partition count,
 * since a domain's state is written at its event's partition.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** How long a command waits for the broker before it says so: seconds, not the clients' default minute. */
    public static final java.time.Duration COMMAND_PATIENCE = java.time.Duration.ofSeconds(10);

    private TopicProvisioner() {
    }

    public static void ensure(KafkaClientSettings kafka, short replication, List<TopicSpec> specs) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            for (TopicSpec spec : specs) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), replication).configs(spec.config())))
                            .all().get(60, TimeUnit.SECONDS);
                    LOG.info("created topic {} ({} partitions, {})", spec.name(), spec.partitions(), spec.config());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + spec.name() + " at " + kafka.bootstrap()
                                + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker at " + kafka.bootstrap() + " did not answer within 60 s while creating topics", e);
        }
    }

    /**
     * For a command (import, status, confirm, ...) that may be the first thing to touch a fresh broker: creates the
     * topics of {@code specs} that are missing, as the catalogue specifies them, with the partition count of those that
     * exist (all topics share one, so a domain sits at the same partition in each), and the broker's default replication
     * factor. Fails within about {@code patience} with what to do: when the broker does not answer, or when this
     * principal may not create topics (then with the {@code kafka-topics.sh} commands an administrator runs).
     *
     * @throws IllegalStateException naming the broker, the topics and what to run
     */
    public static void ensureForCommand(KafkaClientSettings kafka, List<TopicSpec> specs, java.time.Duration patience) {
        int ms = (int) patience.toMillis();
        try (Admin admin = new KafkaClients(kafka).admin(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms))) {
            java.util.Set<String> existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            List<TopicSpec> missing = specs.stream().filter(spec -> !existing.contains(spec.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            List<String> present = specs.stream().map(TopicSpec::name).filter(existing::contains).toList();
            int partitions = present.isEmpty() ? missing.get(0).partitions()
                    : admin.describeTopics(present).allTopicNames().get(ms, TimeUnit.MILLISECONDS).values().iterator().next().partitions().size();
            Map<String, org.apache.kafka.common.KafkaFuture<Void>> created = admin.createTopics(missing.stream().map(spec ->
                    new NewTopic(spec.name(), java.util.Optional.of(partitions), java.util.Optional.empty()).configs(spec.config())).toList()).values();
            for (TopicSpec spec : missing) {
                try {
                    created.get(spec.name()).get(ms, TimeUnit.MILLISECONDS);
                    LOG.info("created topic {} ({} partitions, {})", spec.name(), partitions, spec.config());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(cannotCreate(kafka.bootstrap(), missing, partitions, e.getCause()), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics at " + kafka.bootstrap(), e);
        } catch (TimeoutException e) {
            throw noAnswer(kafka, patience, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(kafka, patience, e.getCause());
            }
            throw new IllegalStateException("cannot list the topics at " + kafka.bootstrap() + ": " + e.getCause().getMessage()
                    + " (check --kafka-config: this principal needs DESCRIBE on the cluster's topics)", e.getCause());
        }
    }

    private static IllegalStateException noAnswer(KafkaClientSettings kafka, java.time.Duration patience, Throwable cause) {
        return new IllegalStateException("Kafka did not answer at " + kafka.bootstrap() + " within " + patience.toSeconds() + " s: is it"
                + " running? (the lab's: ./mxshift kafka start; else check --bootstrap and --kafka-config)", cause);
    }

    /** Why the topics could not be created, and the commands that create them as the catalogue says. */
    static String cannotCreate(String bootstrap, List<TopicSpec> missing, int partitions, Throwable why) {
        boolean forbidden = why instanceof org.apache.kafka.common.errors.AuthorizationException;
        StringBuilder b = new StringBuilder("cannot create the topic(s) ")
                .append(String.join(", ", missing.stream().map(TopicSpec::name).toList())).append(" at ").append(bootstrap).append(": ")
                .append(forbidden ? "this principal may not create topics (" + why.getClass().getSimpleName() + ")"
                        : String.valueOf(why.getMessage()).replaceAll("\\.+$", ""))
                .append(forbidden ? ". Start the services once with a principal that may (they create them), or have an administrator run:"
                        : ". Create them as the catalogue says (add --replication-factor N for what the cluster can hold):");
        for (TopicSpec spec : missing) {
            b.append("\n  kafka-topics.sh --bootstrap-server ").append(bootstrap).append(" --create --if-not-exists --topic ").append(spec.name())
                    .append(" --partitions ").append(partitions);
            new java.util.TreeMap<>(spec.config()).forEach((k, v) -> b.append(" --config ").append(k).append('=').append(v));
        }
        return b.toString();
    }

    /** Fails, naming both, when the two topics differ in partition count. */
    public static void requireSamePartitions(KafkaClientSettings kafka, String events, String state) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            Map<String, TopicDescription> d = null;
            for (int attempt = 1; d == null; attempt++) {
                try {
                    d = admin.describeTopics(List.of(events, state)).allTopicNames().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    // a topic created a moment ago is not known to every part of the broker yet
                    if (!(ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || attempt == 50) {
                        throw ex;
                    }
                    Thread.sleep(200);
                }
            }
            int e = d.get(events).partitions().size();
            int s = d.get(state).partitions().size();
            if (e != s) {
                throw new IllegalStateException("topic " + state + " has " + s + " partitions but " + events + " has " + e
                        + ": they must be equal (a domain's state is kept at its event partition); recreate " + state + " with " + e
                        + " partitions and delete the consumer group " + StateProjector.groupFor(events) + ", so that it is rebuilt from the event log");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("could not describe topics " + events + " and " + state + " at " + kafka.bootstrap(), ex);
        }
    }
}
