package dev.mxshift.model.topic;

import dev.mxshift.model.workflow.ServiceRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the system, in one place: its name, key, partition count, cleanup policy, and the replication it is
 * created with and checked against. The partition count is configuration (default {@value #DEFAULT_PARTITIONS}); all
 * topics share it so that a domain's events, state and dead letters sit at the same partition number. The
 * replication (factor and min.insync.replicas) is configuration too, the same for every topic: one copy on the
 * development broker, three copies with two in sync on a production cluster (decision 0043).
 */
public record TopicCatalogue(int partitions, TopicReplication replication) {

    public static final int DEFAULT_PARTITIONS = 12;

    /** The event log: the system of record, kept forever. */
    public static final String EVENTS = "migration.events";
    /** The latest state per domain, compacted: for operators and restarts. */
    public static final String STATE = "migration.state";
    /**
     * Why the wave gate holds each ready domain, compacted: advice for operators, not a record (decision 0017). Named
     * after the state topic it goes with ({@link #gateHoldsOf}).
     */
    public static final String GATE_HOLDS = STATE + ".gate-holds";
    /**
     * What Microsoft Graph resolved (a record per domain it gave a target) and whether it is configured (the record
     * keyed {@link #GRAPH_STATUS_KEY}), compacted: advice for operators, not a record (decision 0034). Named after the
     * state topic it goes with ({@link #graphTargetsOf}).
     */
    public static final String GRAPH_TARGETS = STATE + ".graph-targets";
    /** The key of the graph-targets topic's record that says whether Graph is configured; a tombstone when it is not. */
    public static final String GRAPH_STATUS_KEY = "_graph";
    /** Prefix of each consumer group's dead-letter topic; see {@link #deadLetters(ServiceRole)}. */
    public static final String DEAD_LETTER_PREFIX = "migration.events.dlt.";

    /** Records whose key is the domain's canonical name. */
    public static final String DOMAIN_KEY = "domain (lower-case A-label, no trailing dot)";

    private static final Map<String, String> KEEP_FOREVER = Map.of("cleanup.policy", "delete", "retention.ms", "-1");
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    public TopicCatalogue {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        java.util.Objects.requireNonNull(replication, "replication");
    }

    /** The development set-up's catalogue with {@code partitions}: one broker, one copy. */
    public TopicCatalogue(int partitions) {
        this(partitions, TopicReplication.SINGLE_BROKER);
    }

    public static TopicCatalogue defaults() {
        return new TopicCatalogue(DEFAULT_PARTITIONS);
    }

    public TopicSpec events() {
        return new TopicSpec(EVENTS, DOMAIN_KEY, partitions, KEEP_FOREVER,
                "every event of every domain's migration, in order per domain; the system of record");
    }

    public TopicSpec state() {
        return new TopicSpec(STATE, DOMAIN_KEY, partitions, COMPACTED,
                "the latest workflow state per domain, for operators and restarts");
    }

    /** The gate-holds topic that goes with a state topic. */
    public static String gateHoldsOf(String stateTopic) {
        return stateTopic + ".gate-holds";
    }

    public TopicSpec gateHolds() {
        return new TopicSpec(GATE_HOLDS, DOMAIN_KEY, partitions, COMPACTED,
                "why the wave gate holds a ready domain, for operators; a tombstone once it no longer does");
    }

    /** The graph-targets topic that goes with a state topic. */
    public static String graphTargetsOf(String stateTopic) {
        return stateTopic + ".graph-targets";
    }

    public TopicSpec graphTargets() {
        return new TopicSpec(GRAPH_TARGETS, DOMAIN_KEY + ", and " + GRAPH_STATUS_KEY + " for Graph's configuration", partitions, COMPACTED,
                "the target hosts Microsoft Graph gave, and whether Graph is configured, for operators");
    }

    /** Each consuming service has its own dead-letter topic, since one service's poison is not another's. */
    public TopicSpec deadLetters(ServiceRole service) {
        return new TopicSpec(DEAD_LETTER_PREFIX + service.serviceName(), DOMAIN_KEY, partitions, KEEP_FOREVER,
                "events " + service.serviceName() + " could not process, with the reason in the headers; replayable");
    }

    public static List<ServiceRole> consumingServices() {
        return List.of(ServiceRole.DISCOVERY, ServiceRole.VALIDATION, ServiceRole.RECORD_GENERATION, ServiceRole.DNS_PUSH);
    }

    public List<TopicSpec> all() {
        List<TopicSpec> all = new ArrayList<>(List.of(events(), state(), gateHolds(), graphTargets()));
        consumingServices().forEach(service -> all.add(deadLetters(service)));
        return List.copyOf(all);
    }
}
