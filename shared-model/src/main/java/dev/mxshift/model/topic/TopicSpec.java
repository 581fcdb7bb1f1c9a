package dev.mxshift.model.topic;

import java.util.Map;

/**
 * One Kafka topic as the system needs it: name, what its key is, how many partitions, and its topic-level
 * configuration (retention, compaction).
 */
public record TopicSpec(String name, String key, int partitions, Map<String, String> config, String purpose) {
    public TopicSpec {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid Kafka topic name: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition: " + name);
        }
        config = Map.copyOf(config);
    }

    /** The same topic under another name (a deployment's own, a test's unique one). */
    public TopicSpec named(String otherName) {
        return new TopicSpec(otherName, key, partitions, config, purpose);
    }

    public boolean compacted() {
        return "compact".equals(config.get("cleanup.policy"));
    }
}
