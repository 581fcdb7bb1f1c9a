package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The one reader of the compacted state topic: every domain's latest state, for the services, the operator and the
 * console (issue 32 item 2). Three ways to use it, one reading underneath:
 * <ul>
 *   <li>{@link #refresh()}, on a long-lived view: reads only what was appended since the last refresh (everything,
 *       the first time) and answers every domain's state with the offsets the answer goes up to, so an operator's
 *       append can be confirmed from there (the operator's {@code watch}, its HTTP API and console);</li>
 *   <li>{@link #forEach}: reads the chosen partitions once to their end and hands each domain's latest state over
 *       (a service taking partitions, the state projector's recovery);</li>
 *   <li>{@link #follow}: follows every partition from its start on a thread of its own and hands each state over as
 *       it comes, keeping nothing itself (the wave gate's counts across instances).</li>
 * </ul>
 * Reading the whole topic at every refresh would cost as much as the services' own work at 100,000 domains (the
 * topic keeps every state until compaction, a few per domain), so a domain's records are grouped per read and only
 * its last one is decoded. A record that is not a state is skipped with a warning: within a poll the domain's state
 * before it is handed over instead, and over a whole refresh the domain keeps the state it had. Committed
 * transactions only; no consumer group, and no topic is ever created by reading. Not thread-safe: one caller at a time.
 */
public final class StateTopicView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicView.class);

    /** The states as of {@code ends}: every record of the state topic before those offsets is in them. */
    public record Snapshot(Map<DomainName, MigrationState> states, Map<TopicPartition, Long> ends) {
    }

    /** What the view has done so far: records read from the topic, and states decoded from them. */
    public record Counts(long refreshes, long recordsRead, long statesDecoded) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final IntPredicate chosen;
    private final Duration patience;
    private final EventCodec codec = new EventCodec();
    private final Map<DomainName, MigrationState> states = new LinkedHashMap<>();
    private List<TopicPartition> partitions;
    private long refreshes;
    private long recordsRead;
    private long statesDecoded;

    /**
     * @param patience how long one refresh may take to reach the topic's end (the first reads everything), and to
     *                 learn the topic's partitions
     */
    public StateTopicView(KafkaClientSettings kafka, String stateTopic, Duration patience) {
        this(kafka, stateTopic, p -> true, patience, Map.of());
    }

    private StateTopicView(KafkaClientSettings kafka, String stateTopic, IntPredicate chosen, Duration patience, Map<String, Object> own) {
        this.topic = stateTopic;
        this.chosen = chosen;
        this.patience = patience;
        Map<String, Object> settings = new HashMap<>(own);
        // compaction may remove the offset the view stands at: go on from the oldest one kept, never skip
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // waiting for a topic not made yet must never make it, with the broker's defaults (not compacted)
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaClients(kafka).consumer(settings);
    }

    /**
     * Reads what was appended since the last refresh (everything, the first time) up to the topic's end as of this
     * call, and returns a copy of every domain's latest state.
     *
     * @throws IllegalStateException when the topic does not exist, or its end was not reached within the patience
     */
    public Snapshot refresh() {
        if (!assigned(patience)) {
            throw new IllegalStateException("there is no state topic " + topic);
        }
        // the view keeps every domain's state anyway: a domain's last record is found over the whole read
        readToEnd(this::keep, true);
        refreshes++;
        Map<TopicPartition, Long> reached = new HashMap<>();
        partitions.forEach(p -> reached.put(p, consumer.position(p)));
        return new Snapshot(new LinkedHashMap<>(states), reached);
    }

    public Counts counts() {
        return new Counts(refreshes, recordsRead, statesDecoded);
    }

    /**
     * Reads the partitions {@code partitions} accepts once, at least to the end they have when the read begins (what
     * comes meanwhile may be handed over too), and hands the states to {@code each} in the topic's order: the last one
     * {@code each} gets for a domain is its latest. Within one poll only a domain's last state is decoded (an earlier
     * one when the last record is not a state); the topic may still hold earlier ones from before compaction, and
     * those of earlier polls are handed over too, so a caller keeps the highest sequence. Returns how many states were
     * handed over; none when the topic does not exist yet.
     *
     * @throws IllegalStateException when the end was not reached within the patience
     */
    public static long forEach(KafkaClientSettings kafka, String stateTopic, IntPredicate partitions, Duration patience,
                               Consumer<MigrationState> each) {
        try (StateTopicView view = new StateTopicView(kafka, stateTopic, partitions, patience, Map.of())) {
            if (!view.assigned(patience)) {
                return 0;
            }
            long before = view.statesDecoded;
            view.readToEnd(each, false);
            return view.statesDecoded - before;
        }
    }

    /**
     * Follows every partition from its start, and then as the topic grows, on a daemon thread named {@code name},
     * handing each state over on that thread: a view of every domain, including those of other instances' partitions,
     * a poll behind the state projection. Waits for a topic that does not exist yet; a failed read (the broker away,
     * a caller's bug) is logged and the following goes on, so the view never silently freezes. Close to stop.
     */
    public static AutoCloseable follow(KafkaClientSettings kafka, String stateTopic, String name, Consumer<MigrationState> each) {
        return new Following(new StateTopicView(kafka, stateTopic, p -> true, Duration.ofSeconds(10),
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, name)), name, each);
    }

    /** Learns and assigns the chosen partitions, from their start, once; false when the topic does not exist. */
    private boolean assigned(Duration wait) {
        if (partitions == null) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, wait);
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            partitions = infos.stream().filter(p -> chosen.test(p.partition())).map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        return true;
    }

    /**
     * Reads to the end the partitions have now; a read that does not finish leaves nothing half-read. A domain's last
     * record is found over the whole read when {@code whole}, else within each poll, so that a caller who keeps
     * little (a service with a small heap, taking 100,000 domains' partitions) never holds every record at once.
     */
    private void readToEnd(Consumer<MigrationState> to, boolean whole) {
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, consumer.position(p, patience)));
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, patience);
            // Over a whole read only each domain's last record is kept (the view keeps every domain's state anyway);
            // within a poll its earlier ones too, to fall back on when the last is not a state.
            Latest latest = new Latest(whole ? 1 : Integer.MAX_VALUE, to);
            long deadline = System.nanoTime() + patience.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took longer than " + patience.toSeconds() + " s");
                }
                latest.addAll(consumer.poll(Duration.ofMillis(500)));
                if (!whole) {
                    latest.hand();
                }
            }
            latest.hand();
        } catch (RuntimeException e) {
            // the next read starts where this one did
            from.forEach(consumer::seek);
            throw e;
        }
    }

    /** One poll of up to {@code wait}: each domain's last state in it handed over. */
    private void poll(Duration wait, Consumer<MigrationState> to) {
        Latest latest = new Latest(Integer.MAX_VALUE, to);
        latest.addAll(consumer.poll(wait));
        latest.hand();
    }

    /**
     * Each domain's records of a read, in the order of its first, up to {@code keep} of them: handed over as the last
     * one that is a state (an earlier one when the last is not). A record without a key keeps the log's order around it.
     */
    private final class Latest {

        private final int keep;
        private final Consumer<MigrationState> to;
        private final Map<ByteBuffer, java.util.ArrayDeque<ConsumerRecord<byte[], byte[]>>> byDomain = new LinkedHashMap<>();

        Latest(int keep, Consumer<MigrationState> to) {
            this.keep = keep;
            this.to = to;
        }

        void addAll(Iterable<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                recordsRead++;
                if (record.value() == null) {
                    continue;
                }
                if (record.key() == null) {
                    hand();
                    decode(record).ifPresent(to);
                    continue;
                }
                var kept = byDomain.computeIfAbsent(ByteBuffer.wrap(record.key()), k -> new java.util.ArrayDeque<>());
                if (kept.size() == keep) {
                    kept.removeFirst();
                }
                kept.addLast(record);
            }
        }

        void hand() {
            for (var kept : byDomain.values()) {
                while (!kept.isEmpty()) {
                    java.util.Optional<MigrationState> state = decode(kept.removeLast());
                    if (state.isPresent()) {
                        to.accept(state.get());
                        break;
                    }
                }
            }
            byDomain.clear();
        }
    }

    private void keep(MigrationState state) {
        states.put(state.domain(), state);
    }

    private java.util.Optional<MigrationState> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            MigrationState state = codec.decodeState(record.value());
            statesDecoded++;
            return java.util.Optional.of(state);
        } catch (EventDecodingException e) {
            LOG.warn("a record of {} at partition {} offset {} is not a migration state; skipped", topic, record.partition(), record.offset());
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** {@link #follow}'s thread. */
    private static final class Following implements AutoCloseable {

        private final StateTopicView view;
        private final Thread thread;
        private volatile boolean running = true;

        Following(StateTopicView view, String name, Consumer<MigrationState> each) {
            this.view = view;
            this.thread = new Thread(() -> run(each), name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run(Consumer<MigrationState> each) {
            try {
                boolean told = false;
                while (running && !assigned()) {
                    if (!told) {
                        LOG.warn("{} does not exist yet; waiting for it", view.topic);
                        told = true;
                    }
                    Thread.sleep(1000);
                }
                while (running) {
                    try {
                        view.poll(Duration.ofMillis(500), each);
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.warn("following {}: {}; going on in a second", view.topic, e.toString());
                        Thread.sleep(1000);
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                LOG.error("following {} stopped: {}", view.topic, e.toString(), e);
            } finally {
                view.close();
            }
        }

        private boolean assigned() {
            try {
                return view.assigned(view.patience);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("{} is not readable yet ({}); trying again", view.topic, e.getMessage());
                return false;
            }
        }

        @Override
        public void close() {
            running = false;
            view.consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
