package dev.mxshift.service;

import dev.mxshift.model.topic.TopicReplication;
import dev.mxshift.model.topic.TopicSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the topics a service uses are as its configuration says: the catalogue's partition count, at least the
 * configured replication factor and min.insync.replicas, and a cluster with brokers enough for that factor. A topic
 * that does not exist yet is no problem (the service creates it as configured). Each problem is one sentence naming
 * the topic, what it has, what is configured and what to change (decision 0043).
 */
public final class TopicCheck {

    public static final String REPLICATION_KEY = "mxshift.topics.replication-factor";
    public static final String REPLICATION_ENV = "MXSHIFT_TOPIC_REPLICATION";
    public static final String MIN_INSYNC_KEY = "mxshift.topics.min-insync-replicas";
    public static final String MIN_INSYNC_ENV = "MXSHIFT_TOPIC_MIN_ISR";
    public static final String PARTITIONS_KEY = "mxshift.topics.partitions";
    public static final String PARTITIONS_ENV = "MXSHIFT_TOPIC_PARTITIONS";

    /** One contradiction between the cluster and the configuration; {@code topic} is null for the cluster itself. */
    public record Problem(String topic, String sentence) {
    }

    private TopicCheck() {
    }

    /**
     * @param wanted     the topics the service uses, as the catalogue specifies them
     * @param configured the replication the catalogue asks for
     * @param brokers    how many brokers the cluster has
     * @param observed   the topics that exist, by name
     * @param bootstrap  the cluster's address, for the commands in the sentences
     */
    public static List<Problem> decide(List<TopicSpec> wanted, TopicReplication configured, int brokers,
                                       Map<String, ObservedTopic> observed, String bootstrap) {
        List<Problem> problems = new ArrayList<>();
        if (configured.factor() > brokers) {
            problems.add(new Problem(null, REPLICATION_KEY + " is " + configured.factor() + " but the cluster at " + bootstrap + " has "
                    + brokers + " broker" + (brokers == 1 ? "" : "s") + ": set " + REPLICATION_ENV + "=" + brokers + " (and " + MIN_INSYNC_ENV
                    + " at most that), or add brokers"));
        }
        for (TopicSpec spec : wanted) {
            ObservedTopic topic = observed.get(spec.name());
            if (topic == null) {
                continue;
            }
            if (topic.partitions() != spec.partitions()) {
                problems.add(new Problem(spec.name(), "topic " + spec.name() + " has " + topic.partitions() + " partitions but the catalogue says "
                        + spec.partitions() + " (" + PARTITIONS_KEY + "): set " + PARTITIONS_ENV + "=" + topic.partitions()
                        + " to use the topics as they are (all must share one count), or, while it holds nothing yet, delete it and start"
                        + " again; adding partitions would move domains to other partitions"));
            }
            if (topic.replicationFactor() < configured.factor()) {
                problems.add(new Problem(spec.name(), "topic " + spec.name() + " has replication factor " + topic.replicationFactor() + " but "
                        + REPLICATION_KEY + " is " + configured.factor() + ": give each partition " + configured.factor()
                        + " replicas with kafka-reassign-partitions.sh --bootstrap-server " + bootstrap
                        + " --reassignment-json-file FILE --execute (kafka-topics.sh --alter cannot change it), or, while it holds nothing"
                        + " yet, delete it and let the service create it; or set " + REPLICATION_ENV + "=" + topic.replicationFactor()));
            }
            if (topic.minInsyncReplicas() < configured.minInsync()) {
                problems.add(new Problem(spec.name(), "topic " + spec.name() + " has min.insync.replicas " + topic.minInsyncReplicas() + " but "
                        + MIN_INSYNC_KEY + " is " + configured.minInsync() + ": kafka-configs.sh --bootstrap-server " + bootstrap
                        + " --alter --entity-type topics --entity-name " + spec.name() + " --add-config "
                        + TopicReplication.MIN_INSYNC_REPLICAS + "=" + configured.minInsync() + ", or set " + MIN_INSYNC_ENV + "="
                        + topic.minInsyncReplicas()));
            }
        }
        return List.copyOf(problems);
    }
}
