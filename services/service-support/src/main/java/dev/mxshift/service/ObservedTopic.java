package dev.mxshift.service;

/**
 * What the cluster says of a topic: its partition count, the fewest replicas any of its partitions has, and its
 * effective min.insync.replicas (its own, or the broker's default).
 */
public record ObservedTopic(String name, int partitions, int replicationFactor, int minInsyncReplicas) {
}
