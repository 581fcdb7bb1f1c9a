package dev.mxshift.testsupport;

import dev.mxshift.model.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates topics from the catalogue's specs. Tests give each run its own suffix, so that a shared development
 * broker never mixes one run's records with another's.
 */
public final class TestTopics {

    private TestTopics() {
    }

    /** The spec with a unique name, same partitions and configuration. */
    public static TopicSpec unique(TopicSpec spec) {
        return new TopicSpec(spec.name() + ".test-" + UUID.randomUUID().toString().substring(0, 8), spec.key(),
                spec.partitions(), spec.config(), spec.purpose());
    }

    public static void create(String bootstrapServers, TopicSpec... specs) {
        createReplicated(bootstrapServers, (short) 1, specs);
    }

    /**
     * A service's topics for one test: its events, its state, and the events' dead-letter topic ({@code <events>.dlt},
     * where the services' binder puts what it cannot handle).
     */
    public static void createWithDeadLetters(String bootstrapServers, TopicSpec events, TopicSpec state) {
        create(bootstrapServers, events, state, new TopicSpec(events.name() + ".dlt", events.key(), events.partitions(), events.config(), "test"));
    }

    /**
     * On a cluster: each topic with {@code replication} replicas and, above 1, {@code min.insync.replicas} one less
     * (3 and 2 on {@link KafkaTestCluster}: one broker may be down and every write is still on two).
     */
    public static void createReplicated(String bootstrapServers, short replication, TopicSpec... specs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (TopicSpec spec : specs) {
                Map<String, String> config = new HashMap<>(spec.config());
                if (replication > 1) {
                    config.put("min.insync.replicas", Integer.toString(replication - 1));
                }
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replication).configs(config);
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + spec.name() + " at " + bootstrapServers, e.getCause());
                    }
                }
            }
            awaitLeaders(admin, bootstrapServers, specs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " did not create topics within 60 s", e);
        }
    }

    /**
     * Returns once every partition of the topics has a leader that answers for it. A created topic is in the metadata
     * a moment before its leader serves it; an idempotent producer whose first batch meets that moment gets
     * NOT_LEADER_OR_FOLLOWER, and the batches behind it can then be refused as out of sequence until the delivery
     * timeout (seen once in EventWriterIT). Asking each leader for its log end offset proves it serves the partition.
     */
    private static void awaitLeaders(Admin admin, String bootstrapServers, TopicSpec... specs) {
        List<String> names = Arrays.stream(specs).map(TopicSpec::name).toList();
        try {
            Awaitility.await("a serving leader for every partition of " + names).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> leadersServe(admin, names));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the topics " + names + " at " + bootstrapServers + " had no serving leader for every partition within 60 s", e);
        }
    }

    /** Whether every partition of the topics has a leader, and every leader answers for its partitions' end offsets. */
    private static boolean leadersServe(Admin admin, List<String> names) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var topic : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            for (var partition : topic.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
                latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest());
            }
        }
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        return true;
    }
}
