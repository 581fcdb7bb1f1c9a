package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the state projection tests and the state-table benchmark look at: how far a projection's group has committed on
 * the event log, the table a state topic holds, and the table the workflow's own replay of the log gives.
 */
public final class StateTables {

    private StateTables() {
    }

    /** Events the group has committed past, summed over the log's partitions, and the log's end, summed. */
    public record Progress(long committed, long end) {
        public boolean caughtUp() {
            return committed >= end;
        }
    }

    public static Progress progress(KafkaClientSettings kafka, String group, String eventsTopic) throws Exception {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            return progress(admin, group, eventsTopic);
        }
    }

    public static Progress progress(Admin admin, String group, String eventsTopic) throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        var partitions = admin.describeTopics(java.util.List.of(eventsTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(eventsTopic).partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(eventsTopic, p.partition()), p -> OffsetSpec.latest()));
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(eventsTopic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
        return new Progress(committed, ends.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Each domain's latest state in the state topic, as the operator and the console read it ({@link StateTopicView}). */
    public static Map<DomainName, MigrationState> table(KafkaClientSettings kafka, String stateTopic) {
        try (StateTopicView view = new StateTopicView(kafka, stateTopic, Duration.ofMinutes(30))) {
            return view.refresh().states();
        }
    }

    /**
     * The state of every domain in the event log by the workflow's own replay: {@link Workflow#apply} over the
     * domain's gap-free sequence from 1; records that do not decode and repeated sequences are no part of it.
     */
    public static Map<DomainName, MigrationState> fold(KafkaClientSettings kafka, String eventsTopic) {
        EventCodec codec = new EventCodec();
        Map<DomainName, MigrationState> fold = new LinkedHashMap<>();
        TopicToEnd.read(kafka, eventsTopic, p -> true, Duration.ofMinutes(10), record -> {
            EventEnvelope event;
            try {
                event = codec.decode(record.value());
            } catch (EventDecodingException | NullPointerException e) {
                return;
            }
            MigrationState before = fold.getOrDefault(event.domain(), MigrationState.initial(event.domain()));
            if (event.sequence() == before.sequence() + 1) {
                fold.put(event.domain(), Workflow.apply(before, event));
            }
        });
        return fold;
    }

    /** Domains whose state differs between the two tables, or that only one has. */
    public static long mismatches(Map<DomainName, MigrationState> expected, Map<DomainName, MigrationState> actual) {
        return java.util.stream.Stream.concat(expected.keySet().stream(), actual.keySet().stream()).distinct()
                .filter(d -> !Objects.equals(expected.get(d), actual.get(d))).count();
    }
}
