package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.service.StateTopicView;
import dev.mxshift.service.TopicToEnd;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The operator's access to Kafka: every domain's latest state (the compacted state topic), one domain's history (its
 * partition of the event log), and appending events, each confirmed afterwards from the state topic, since the log's
 * order decides between an operator's event and a service's event of the same sequence (decision 0015).
 */
public final class EventLog implements AutoCloseable {

    /** What became of an appended event. */
    public enum Outcome {
        /** The state topic shows the domain's state after this event. */
        APPLIED,
        /**
         * Another event of the same sequence came first in the log: this one, if appended, is stale and nobody acts on
         * it; or, not appended, the domain had moved on from the state the action was decided from. Decide again.
         */
        LOST_RACE,
        /** Appended, but no state projection has shown it yet (no service running?); it takes effect when one does. */
        NOT_YET_PROJECTED,
        /**
         * Not appended: the same action, decided from the same state, is already in the log and not yet applied (an
         * earlier request, while the services were down or behind); appending it again would only add a stale copy.
         */
        ALREADY_IN_LOG;

        /** Whether this call put the event in the log and nothing there has beaten it (yet): the action was taken. */
        public boolean appended() {
            return this == APPLIED || this == NOT_YET_PROJECTED;
        }
    }

    private final KafkaClientSettings kafka;
    private final KafkaClients clients;
    private final String eventsTopic;
    private final String stateTopic;
    private final String gateHoldsTopic;
    private final EventCodec codec = new EventCodec();
    private StateTopicView view;
    /** Made at the first need and kept for this log's life: a call that looks at the projection's offsets is cheap. */
    private org.apache.kafka.clients.admin.Admin admin;
    private boolean closed;

    public EventLog(KafkaClientSettings kafka, String eventsTopic, String stateTopic) {
        this(kafka, eventsTopic, stateTopic, dev.mxshift.model.topic.TopicCatalogue.gateHoldsOf(stateTopic));
    }

    public EventLog(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String gateHoldsTopic) {
        this.kafka = kafka;
        this.clients = new KafkaClients(kafka);
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
        this.gateHoldsTopic = gateHoldsTopic;
    }

    /**
     * Why the wave gate holds each domain, as record generation last published it (decision 0017, addendum); empty when
     * the topic does not exist yet. A hold counts only where {@link GateHold#appliesTo} the domain's current state: the
     * topic may still name a state the domain has left. A record that does not decode is passed over (advice only).
     */
    public Map<DomainName, GateHold> gateHolds() {
        Map<DomainName, GateHold> holds = new java.util.HashMap<>();
        TopicToEnd.read(kafka, gateHoldsTopic, p -> true, Duration.ofSeconds(60), record -> {
            if (record.key() == null) {
                return;
            }
            try {
                DomainName domain = DomainName.of(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
                if (record.value() == null) {
                    holds.remove(domain);
                } else {
                    holds.put(domain, GateHold.decode(record.value()));
                }
            } catch (RuntimeException e) {
                // not a hold this build can read: shown as no hold
            }
        });
        return holds;
    }

    /**
     * What Microsoft Graph does for record generation (decision 0034), from the graph-targets topic that goes with the
     * state topic: its status record (null when Graph is not configured, or the topic does not exist yet) and a record
     * per domain Graph gave a target. Advice: the event log holds the record (TargetAssigned by graph).
     */
    public record GraphTargets(tools.jackson.databind.JsonNode status, Map<DomainName, tools.jackson.databind.JsonNode> resolved) {
    }

    public GraphTargets graphTargets() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.databind.JsonNode[] status = new tools.jackson.databind.JsonNode[1];
        Map<DomainName, tools.jackson.databind.JsonNode> resolved = new java.util.TreeMap<>(java.util.Comparator.comparing(DomainName::value));
        TopicToEnd.read(kafka, dev.mxshift.model.topic.TopicCatalogue.graphTargetsOf(stateTopic), p -> true, Duration.ofSeconds(30), record -> {
            if (record.key() == null) {
                return;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            try {
                tools.jackson.databind.JsonNode value = record.value() == null ? null : json.readTree(record.value());
                if (key.equals(dev.mxshift.model.topic.TopicCatalogue.GRAPH_STATUS_KEY)) {
                    status[0] = value;
                } else if (value == null) {
                    resolved.remove(DomainName.of(key));
                } else {
                    resolved.put(DomainName.of(key), value);
                }
            } catch (RuntimeException e) {
                // not a record this build can read: advice only, passed over
            }
        });
        return new GraphTargets(status[0], resolved);
    }

    public KafkaClientSettings kafka() {
        return kafka;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    /**
     * The latest state of every domain, as projected, and the offsets up to which the state topic was read (every
     * state before them is in {@code states}): an append confirms from there, so no state written after this
     * snapshot is missed.
     */
    public record Snapshot(Map<DomainName, MigrationState> states, Map<TopicPartition, Long> stateEnds) {
    }

    /**
     * The first call reads the whole state topic; later calls on this {@code EventLog} read only what the projection
     * appended since (a long {@code watch}, the HTTP API), so a refresh costs what changed, not what exists.
     */
    public synchronized Snapshot snapshot() {
        if (view == null) {
            try (KafkaConsumer<byte[], byte[]> c = consumer()) {
                List<PartitionInfo> infos = c.partitionsFor(stateTopic, Duration.ofSeconds(60));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("there is no state topic " + stateTopic + " at " + kafka.bootstrap()
                            + ": start the services (they create it), or check --bootstrap and --state-topic");
                }
            }
            view = new StateTopicView(kafka, stateTopic, Duration.ofMinutes(5));
        }
        StateTopicView.Snapshot read = view.refresh();
        return new Snapshot(read.states(), read.ends());
    }

    /** Stops following the state topic (nothing to do when no snapshot was taken). */
    @Override
    public synchronized void close() {
        if (view != null) {
            view.close();
            view = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        closed = true;
    }

    /** Every event of one domain, in order (repeats and lost races included: the reader marks them by sequence). */
    public List<EventEnvelope> history(DomainName domain) {
        byte[] key = EventWriter.keyOf(domain);
        List<EventEnvelope> events = new ArrayList<>();
        int partitions = partitionCount(eventsTopic);
        if (partitions == 0) {
            throw new IllegalStateException("the event log " + eventsTopic + " does not exist at " + kafka.bootstrap());
        }
        int partition = EventWriter.partitionOf(domain.value(), partitions);
        TopicToEnd.read(kafka, eventsTopic, p -> p == partition, Duration.ofMinutes(5), record -> {
            if (record.key() != null && java.util.Arrays.equals(record.key(), key)) {
                try {
                    events.add(codec.decode(record.value()));
                } catch (EventDecodingException e) {
                    // a poison record: the dead-letter listing shows it
                }
            }
        });
        return events;
    }

    /**
     * Every event of each of these domains, in order, read in one pass over the partitions that hold them (what
     * {@link #history} reads for one domain).
     */
    public Map<DomainName, List<EventEnvelope>> histories(java.util.Collection<DomainName> domains) {
        Map<DomainName, List<EventEnvelope>> histories = new HashMap<>();
        if (domains.isEmpty()) {
            return histories;
        }
        int partitions = partitionCount(eventsTopic);
        if (partitions == 0) {
            throw new IllegalStateException("the event log " + eventsTopic + " does not exist at " + kafka.bootstrap());
        }
        Map<String, DomainName> byKey = new HashMap<>();
        java.util.Set<Integer> holding = new java.util.HashSet<>();
        for (DomainName domain : domains) {
            byKey.put(domain.value(), domain);
            holding.add(EventWriter.partitionOf(domain.value(), partitions));
            histories.put(domain, new ArrayList<>());
        }
        TopicToEnd.read(kafka, eventsTopic, holding::contains, Duration.ofMinutes(5), record -> {
            DomainName domain = record.key() == null ? null : byKey.get(new String(record.key(), StandardCharsets.UTF_8));
            if (domain != null) {
                try {
                    histories.get(domain).add(codec.decode(record.value()));
                } catch (EventDecodingException e) {
                    // a poison record: the dead-letter listing shows it
                }
            }
        });
        return histories;
    }

    /**
     * Every event of the log after the offsets in {@code from} (partition to next offset; a partition absent is read from
     * its start), in each partition's order, and {@code from} moved past what was read: called again, it reads only what
     * was appended since (the console's chart of completions over time follows the log so).
     */
    public void readOn(Map<Integer, Long> from, java.util.function.Consumer<EventEnvelope> each) {
        Map<Integer, Long> start = new HashMap<>(from);
        TopicToEnd.read(kafka, eventsTopic, p -> true, start, Duration.ofMinutes(5), record -> {
            from.put(record.partition(), record.offset() + 1);
            try {
                each.accept(codec.decode(record.value()));
            } catch (EventDecodingException e) {
                // a poison record: the dead-letter listing shows it
            }
        });
    }

    /**
     * Appends the events (at most one per domain), then watches the state topic until each is applied or lost, or
     * {@code patience} runs out. {@code progress} hears how many are settled so far.
     */
    public Map<DomainName, Outcome> appendAndConfirm(Snapshot basis, List<EventEnvelope> events, Duration patience, IntConsumer progress) {
        Map<DomainName, Outcome> outcomes = new LinkedHashMap<>();
        Map<DomainName, List<EventEnvelope>> unapplied = unapplied(events.stream().map(EventEnvelope::domain).toList());
        // The basis may be old (read slowly while a broker was paused), and the projection may have applied events since
        // and committed past them: those are in neither the basis nor the unapplied events read from its offsets. A
        // state read now (the view reads only what is new) holds them, as it is read after those offsets.
        Map<DomainName, MigrationState> now = snapshot().states();
        List<EventEnvelope> fresh = new ArrayList<>();
        for (EventEnvelope e : events) {
            List<EventEnvelope> pending = unapplied.getOrDefault(e.domain(), List.of());
            MigrationState current = now.get(e.domain());
            if (PendingActions.alreadyInLog(e, pending).isPresent()) {
                outcomes.put(e.domain(), Outcome.ALREADY_IN_LOG);
            } else if (current != null && current.sequence() >= e.sequence()) {
                // the projected state moved on since the basis: not appended; the caller's next snapshot has that state.
                // (An unapplied event at this sequence alone is projection lag: appended as before, it loses the race
                // there and the caller decides again once the state shows it.)
                outcomes.put(e.domain(), Outcome.LOST_RACE);
            } else {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return outcomes;
        }
        Map<String, EventEnvelope> waiting = new HashMap<>();
        fresh.forEach(e -> waiting.put(e.domain().value(), e));
        try (KafkaConsumer<byte[], byte[]> states = consumer()) {
            states.assign(basis.stateEnds().keySet());
            basis.stateEnds().forEach(states::seek);
            append(fresh);
            long deadline = System.nanoTime() + patience.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : states.poll(Duration.ofMillis(300))) {
                    EventEnvelope mine = record.key() == null ? null : waiting.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (mine == null || record.value() == null) {
                        continue;
                    }
                    MigrationState state;
                    try {
                        state = codec.decodeState(record.value());
                    } catch (EventDecodingException e) {
                        continue;
                    }
                    if (state.sequence() < mine.sequence()) {
                        continue;
                    }
                    // the projector writes states in log order: the first state at or past our sequence tells who won
                    outcomes.put(mine.domain(), mine.eventId().equals(state.sequence() == mine.sequence() ? state.lastEventId() : null)
                            ? Outcome.APPLIED : Outcome.LOST_RACE);
                    waiting.remove(mine.domain().value());
                    progress.accept(outcomes.size());
                }
            }
            waiting.values().forEach(e -> outcomes.put(e.domain(), Outcome.NOT_YET_PROJECTED));
            return outcomes;
        }
    }

    /**
     * Each domain's events that the state projection has not applied yet: its partition of the event log read from the
     * projection's committed offset (decision 0015: the projection commits its offsets with the states it wrote), or
     * from the start where it has none. What the projection applied after the snapshot an action was decided from is
     * in neither: {@link #appendAndConfirm} reads the states again after this.
     */
    Map<DomainName, List<EventEnvelope>> unapplied(java.util.Collection<DomainName> domains) {
        Map<DomainName, List<EventEnvelope>> found = new HashMap<>();
        int partitions = domains.isEmpty() ? 0 : partitionCount(eventsTopic);
        if (partitions == 0) {
            return found;
        }
        Map<String, DomainName> byKey = new HashMap<>();
        java.util.Set<Integer> holding = new java.util.HashSet<>();
        domains.forEach(d -> {
            byKey.put(d.value(), d);
            holding.add(EventWriter.partitionOf(d.value(), partitions));
        });
        // Uncommitted too: the operator appends without a transaction, and while a service's transaction on the same
        // partition stays open (its coordinator's broker paused, bench/cluster-failures), committed readers see nothing
        // past that transaction's start, so an action appended a moment ago would be decided and appended again. The
        // extra records an uncommitted read brings, those of services' open or aborted transactions, matter only where a
        // service appends an action's kind of event itself: record generation's RetryRequested after a Graph target,
        // which an operator's replay would then find already asked; if that transaction aborts, record generation
        // decides the retry again.
        TopicToEnd.read(kafka, eventsTopic, holding::contains, projectedUpTo(), org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED,
                Duration.ofMinutes(5), record -> {
            DomainName domain = record.key() == null ? null : byKey.get(new String(record.key(), StandardCharsets.UTF_8));
            if (domain != null) {
                try {
                    found.computeIfAbsent(domain, d -> new ArrayList<>()).add(codec.decode(record.value()));
                } catch (EventDecodingException e) {
                    // a poison record: the dead-letter listing shows it
                }
            }
        });
        return found;
    }

    /** Per partition of the event log, the offset up to which the state projection committed; empty if it never did. */
    private Map<Integer, Long> projectedUpTo() {
        Map<Integer, Long> offsets = new HashMap<>();
        try {
            admin().listConsumerGroupOffsets(dev.mxshift.service.StateProjector.groupFor(eventsTopic)).partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).forEach((tp, committed) -> {
                        if (tp.topic().equals(eventsTopic) && committed != null) {
                            offsets.put(tp.partition(), committed.offset());
                        }
                    });
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // not allowed to see the group, or no answer: read the partitions from their start, which is slower, not wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return offsets;
    }

    private synchronized org.apache.kafka.clients.admin.Admin admin() {
        if (closed) {
            throw new IllegalStateException("this event log is closed");
        }
        if (admin == null) {
            admin = clients.admin();
        }
        return admin;
    }

    private void append(List<EventEnvelope> events) {
        try (EventWriter writer = new EventWriter(clients, eventsTopic)) {
            writer.appendAll(events);
        }
    }

    /** Raw records of a topic (the dead-letter topics), in partition order. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        if (!TopicToEnd.read(kafka, topic, p -> true, Duration.ofMinutes(5), all::add)) {
            throw new IllegalArgumentException("there is no topic " + topic + " at " + kafka.bootstrap());
        }
        return all;
    }

    /** Writes records back to the event log as they are (a dead letter being replayed). */
    public void republish(List<ConsumerRecord<byte[], byte[]>> records) {
        try (EventWriter writer = new EventWriter(clients, eventsTopic)) {
            writer.republish(records);
        }
    }

    private int partitionCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(60));
            return infos == null ? 0 : infos.size();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return clients.consumer(Map.of());
    }
}
