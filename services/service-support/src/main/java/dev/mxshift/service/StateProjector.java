package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.serde.EventHeader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the compacted state topic equal to the event log: for every event that is not stale, in log order, the
 * state it carries, keyed by domain. It is the only writer of the state topic, so two writers racing for the same
 * sequence (an operator's pause against a service's next step) cannot leave the loser's state behind: the log's
 * order decides, here as in every service.
 *
 * <p>Every service process runs one, all in one consumer group per event log ({@code <events topic>.state-projector}),
 * so Kafka gives each partition to exactly one projector at a time and the state topic stays current while any
 * service runs. Each batch is one Kafka transaction: the states and the consumed offsets commit together, so after
 * a crash nothing is projected twice and nothing is skipped (decision 0015).
 */
public final class StateProjector implements StateProjection {

    public static final String PROJECTED = "mxshift.state.projected";
    public static final String SKIPPED = "mxshift.state.skipped";
    public static final String DOMAINS = "mxshift.domains";

    private static final Logger LOG = LoggerFactory.getLogger(StateProjector.class);

    private final KafkaClientSettings kafka;
    private final KafkaClients clients;
    private final String eventsTopic;
    private final String stateTopic;
    private final String group;
    private final EventCodec codec;
    private final MeterRegistry meters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** The latest sequence projected per domain of the assigned partitions. */
    private final Map<String, Long> latest = new ConcurrentHashMap<>();
    /** Each domain's workflow state, for the assigned partitions: the gauge {@code mxshift.domains{state}}. */
    private final Map<String, dev.mxshift.model.workflow.WorkflowStatus> statusOf = new ConcurrentHashMap<>();
    private final Map<dev.mxshift.model.workflow.WorkflowStatus, java.util.concurrent.atomic.AtomicLong> perStatus =
            new java.util.EnumMap<>(dev.mxshift.model.workflow.WorkflowStatus.class);

    private final String instance;

    /**
     * The consumer settings of group membership, the binder's consumers' and the projector's alike: how soon the group
     * takes a killed process for dead and gives its partitions to the others (Kafka's default 45 s). A service's
     * {@code spring.cloud.stream.kafka.binder.consumer-properties} sets them for both.
     */
    public static final List<String> MEMBERSHIP = List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);

    private final Map<String, Object> membership;

    /** {@code instance} names this process stably across restarts (service and instance id): its transactional id. */
    public StateProjector(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String instance, EventCodec codec, MeterRegistry meters) {
        this(kafka, eventsTopic, stateTopic, instance, codec, meters, Map.of());
    }

    /** With the group membership settings ({@link #MEMBERSHIP}) the service's binder consumers have. */
    public StateProjector(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String instance, EventCodec codec, MeterRegistry meters,
                          Map<String, ?> membership) {
        this(kafka, eventsTopic, stateTopic, groupFor(eventsTopic), instance, codec, meters, membership);
    }

    /** In a group of the caller's choosing: a benchmark projecting one log into several state topics, one after another. */
    public StateProjector(KafkaClientSettings kafka, String eventsTopic, String stateTopic, String group, String instance, EventCodec codec,
                          MeterRegistry meters, Map<String, ?> membership) {
        if (!MEMBERSHIP.containsAll(membership.keySet())) {
            throw new IllegalArgumentException("the state projector takes only " + MEMBERSHIP + " from the binder's consumer properties, got " + membership.keySet());
        }
        this.membership = Map.copyOf(membership);
        this.instance = instance;
        this.kafka = kafka;
        this.clients = new KafkaClients(kafka);
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
        this.group = group;
        this.codec = codec;
        this.meters = meters;
        for (dev.mxshift.model.workflow.WorkflowStatus status : dev.mxshift.model.workflow.WorkflowStatus.values()) {
            java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
            perStatus.put(status, count);
            // Each process counts the domains of the partitions it projects; summed over processes, every domain once.
            io.micrometer.core.instrument.Gauge.builder(DOMAINS, count, java.util.concurrent.atomic.AtomicLong::get)
                    .description("domains per workflow state, in the partitions this process projects").tag("state", status.name())
                    .register(meters);
        }
        this.thread = new Thread(this::run, "state-projector");
        this.thread.setDaemon(true);
    }

    /** One projector group per event log. */
    public static String groupFor(String eventsTopic) {
        return eventsTopic + ".state-projector";
    }

    @Override
    public String group() {
        return group;
    }

    /** The projector's consumer: its group and batch, and the membership timings it shares with the binder's consumers. */
    Map<String, Object> consumerSettings() {
        Map<String, Object> own = new HashMap<>(membership);
        own.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                // Eager rebalancing: every rebalance revokes all partitions and assigns anew, which the bookkeeping
                // here assumes (forget all on revoke, learn what is assigned).
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RangeAssignor.class.getName()));
        return own;
    }

    public StateProjector start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                project();
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("state projection of {} stopped ({}); starting again from the last committed batch", eventsTopic, e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** One consumer and one transactional producer until something fails; a failure aborts the batch, and the loop starts again. */
    private void project() {
        forgetAll();
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer(consumerSettings());
             KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of(
                     // stable across restarts, so a restarted projector fences its killed predecessor and aborts its open batch
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-" + instance,
                     ProducerConfig.LINGER_MS_CONFIG, 5))) {
            consumer = c;
            producer.initTransactions();
            c.subscribe(List.of(eventsTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    forgetAll();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    learnLatest(partitions);
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                Map<String, Long> projectedNow = new HashMap<>();
                Map<String, dev.mxshift.model.workflow.WorkflowStatus> statusesNow = new HashMap<>();
                try {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        project(record, producer, projectedNow, statusesNow);
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    // the batch is undone as a whole: states, offsets, and what this projector remembers of them
                    try {
                        producer.abortTransaction();
                    } catch (RuntimeException ignored) {
                        // fenced or broken: the outer loop starts over with a new producer
                    }
                    throw e;
                }
                latest.putAll(projectedNow);
                statusesNow.forEach(this::status);
                Counter.builder(PROJECTED).description("states written to the state topic").register(meters).increment(projectedNow.size());
            }
        } finally {
            consumer = null;
        }
    }

    private void project(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer, Map<String, Long> projectedNow,
                         Map<String, dev.mxshift.model.workflow.WorkflowStatus> statusesNow) {
        // The envelope first (one pass of the tokenizer), and the state's own bytes as the state topic's value: the
        // payload is never bound and the state never encoded again (issue 32 item 7).
        EventHeader header;
        String domain;
        byte[] state;
        try {
            header = codec.readHeader(record.value());
            domain = dev.mxshift.model.dns.DomainName.of(header.domain()).value();
            Long seen = projectedNow.containsKey(domain) ? projectedNow.get(domain) : latest.get(domain);
            if (seen != null && header.sequence() <= seen) {
                skipped("stale");
                return;
            }
            state = codec.stateTopicValue(record.value(), header);
        } catch (EventDecodingException | IllegalArgumentException | NullPointerException e) {
            // the services dead-letter it with the reason; it is no domain's state
            skipped("undecodable");
            return;
        }
        producer.send(new ProducerRecord<>(stateTopic, record.partition() < partitionsOf(stateTopic) ? record.partition() : null,
                record.key(), state));
        projectedNow.put(domain, header.sequence());
        statusesNow.put(domain, header.status());
    }

    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

    /** The state topic has the event log's partition count (the catalogue's rule), so a domain's state sits at its event partition. */
    private int partitionsOf(String topic) {
        return partitionCounts.computeIfAbsent(topic, t -> consumer.partitionsFor(t).size());
    }

    /** What the state topic holds for the domains of newly assigned partitions: what was projected before. */
    private void learnLatest(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(p -> numbers.add(p.partition()));
        if (numbers.isEmpty()) {
            return;
        }
        long states = StateTopicView.forEach(kafka, stateTopic, numbers::contains, Duration.ofMinutes(5),
                state -> {
                    Long before = latest.get(state.domain().value());
                    if (before == null || state.sequence() > before) {
                        latest.put(state.domain().value(), state.sequence());
                        status(state.domain().value(), state.status());
                    }
                });
        LOG.info("state projector of {} took partitions {} ({} states known)", eventsTopic, numbers, states);
    }

    private void status(String domain, dev.mxshift.model.workflow.WorkflowStatus status) {
        dev.mxshift.model.workflow.WorkflowStatus before = statusOf.put(domain, status);
        if (before != null) {
            perStatus.get(before).decrementAndGet();
        }
        perStatus.get(status).incrementAndGet();
    }

    private void forgetAll() {
        latest.clear();
        statusOf.clear();
        perStatus.values().forEach(c -> c.set(0));
    }

    private void skipped(String why) {
        Counter.builder(SKIPPED).description("events not projected: stale (a repeat or a lost race) or undecodable")
                .tag("reason", why).register(meters).increment();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
