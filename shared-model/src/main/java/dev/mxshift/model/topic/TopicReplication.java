package dev.mxshift.model.topic;

import java.util.Map;

/**
 * How many copies of each partition the cluster keeps ({@code factor}) and how many of them must have a write before
 * a producer with acks=all is told it is taken ({@code minInsync}). One broker in development keeps one copy; a
 * production cluster of three keeps three and needs two, so that one broker may fail without a write being lost or
 * refused (decision 0043).
 */
public record TopicReplication(int factor, int minInsync) {

    /** The single development broker's: one copy, one in sync. */
    public static final TopicReplication SINGLE_BROKER = new TopicReplication(1, 1);

    /** The topic-level key that carries {@link #minInsync}. */
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    public TopicReplication {
        if (factor < 1 || factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("the replication factor must be at least 1, got " + factor);
        }
        if (minInsync < 1 || minInsync > factor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor (" + factor
                    + "), got " + minInsync + ": with more required than there are copies, no write with acks=all is ever taken");
        }
    }

    /** What a topic created with this replication carries in its configuration. */
    public Map<String, String> config() {
        return Map.of(MIN_INSYNC_REPLICAS, Integer.toString(minInsync));
    }
}
