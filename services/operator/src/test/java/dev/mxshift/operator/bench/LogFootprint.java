package dev.mxshift.operator.bench;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.TopicToEnd;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * For bench/log-footprint and bench/validation-scaling: what a migration leaves on the broker, and a wait on the
 * event-carried state. Two modes:
 * <ul>
 *   <li>{@code footprint BOOTSTRAP [EVENTS_TOPIC] [STATE_TOPIC]}: reads the event log and the state topic once, to their
 *   ends, and prints (a) each topic's bytes on the broker's disk (AdminClient describeLogDirs, every replica counted
 *   once: the bytes of one copy), (b) events and record bytes (key, value, headers, as the producer sent them, before
 *   compression) per domain, per event type and per end status, (c) the state topic's records and its live set (the
 *   latest record per key, which is what compaction keeps), and (d) that live set's size on disk, measured by writing it
 *   once, LZ4-compressed as the services write, to a scratch topic of the same partition count, reading that topic's
 *   size with describeLogDirs and deleting it.</li>
 *   <li>{@code await BOOTSTRAP EXPECTED_DOMAINS PAST_STATUSES TIMEOUT_S [EVENTS_TOPIC]}: follows the event log until at
 *   least EXPECTED_DOMAINS domains have an event and none is in one of PAST_STATUSES (comma-separated
 *   {@link WorkflowStatus} names, e.g. {@code REQUESTED,DISCOVERED}); then prints, over the events that moved a domain
 *   out of the last of those statuses, the first and last event times and the span between them (the work of the
 *   service that acts on that status). Exit 1 on timeout, with the counts reached.</li>
 * </ul>
 */
public final class LogFootprint {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LogFootprint footprint BOOTSTRAP [EVENTS_TOPIC] [STATE_TOPIC]\n"
                    + "       LogFootprint await BOOTSTRAP EXPECTED_DOMAINS PAST_STATUSES TIMEOUT_S [EVENTS_TOPIC]");
            System.exit(2);
        }
        switch (args[0]) {
            case "footprint" -> footprint(args[1], args.length > 2 ? args[2] : "migration.events", args.length > 3 ? args[3] : "migration.state");
            case "await" -> System.exit(await(args[1], Integer.parseInt(args[2]), statuses(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? args[5] : "migration.events"));
            default -> {
                System.err.println("unknown mode '" + args[0] + "': footprint or await");
                System.exit(2);
            }
        }
    }

    private static Set<WorkflowStatus> statuses(String names) {
        Set<WorkflowStatus> all = EnumSet.noneOf(WorkflowStatus.class);
        for (String name : names.split(",")) {
            try {
                all.add(WorkflowStatus.valueOf(name.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown status '" + name + "'; one of " + java.util.Arrays.toString(WorkflowStatus.values()));
            }
        }
        return all;
    }

    /** Bytes a record took as the producer sent it, before compression: key, value and headers. */
    private static long recordBytes(ConsumerRecord<byte[], byte[]> r) {
        long bytes = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return bytes;
    }

    private static void footprint(String bootstrap, String eventsTopic, String stateTopic) throws Exception {
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(bootstrap);
        EventCodec codec = new EventCodec();
        Map<String, long[]> perDomain = new HashMap<>();          // events, bytes
        Map<String, WorkflowStatus> lastStatus = new HashMap<>();
        Map<String, long[]> perType = new TreeMap<>();             // events, bytes
        long[] total = new long[2];
        TopicToEnd.read(kafka, eventsTopic, p -> true, Duration.ofMinutes(10), r -> {
            EventEnvelope e = codec.decode(r.value());
            long bytes = recordBytes(r);
            String domain = e.domain().value();
            long[] d = perDomain.computeIfAbsent(domain, k -> new long[2]);
            d[0]++;
            d[1] += bytes;
            long[] t = perType.computeIfAbsent(e.type(), k -> new long[2]);
            t[0]++;
            t[1] += bytes;
            total[0]++;
            total[1] += bytes;
            lastStatus.put(domain, e.state().status());
        });
        Map<String, byte[]> latest = new HashMap<>();
        Map<String, Integer> latestPartition = new HashMap<>();
        long[] state = new long[2];
        TopicToEnd.read(kafka, stateTopic, p -> true, Duration.ofMinutes(10), r -> {
            state[0]++;
            state[1] += recordBytes(r);
            String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, r.value());
                latestPartition.put(key, r.partition());
            }
        });
        long liveBytes = latest.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length).sum();

        try (Admin admin = Admin.create(kafka.with(Map.of()))) {
            Map<String, Long> onDisk = onDisk(admin);
            int statePartitions = admin.describeTopics(List.of(stateTopic)).allTopicNames().get().get(stateTopic).partitions().size();
            long liveOnDisk = liveCopyOnDisk(admin, kafka, latest, latestPartition, statePartitions);

            System.out.println("== topics on the broker's disk (one copy; describeLogDirs) ==");
            onDisk.forEach((topic, bytes) -> System.out.printf("disk %s bytes=%d MiB=%.2f%n", topic, bytes, bytes / 1048576.0));

            int domains = perDomain.size();
            List<Long> counts = new ArrayList<>(perDomain.values().stream().map(d -> d[0]).toList());
            Collections.sort(counts);
            long eventsDisk = onDisk.getOrDefault(eventsTopic, 0L);
            System.out.println("== " + eventsTopic + " ==");
            System.out.printf("events total=%d domains=%d per_domain_mean=%.2f p50=%d p99=%d max=%d record_bytes=%d per_event=%.0f per_domain=%.0f"
                            + " disk_bytes=%d disk_per_event=%.0f disk_per_domain=%.0f compression=%.2f%n",
                    total[0], domains, (double) total[0] / domains, counts.get(counts.size() / 2),
                    counts.get((int) Math.min(counts.size() - 1, Math.ceil(counts.size() * 0.99) - 1)), counts.get(counts.size() - 1),
                    total[1], (double) total[1] / total[0], (double) total[1] / domains,
                    eventsDisk, (double) eventsDisk / total[0], (double) eventsDisk / domains, (double) total[1] / Math.max(1, eventsDisk));
            Map<WorkflowStatus, long[]> byEnd = new TreeMap<>();
            perDomain.forEach((domain, d) -> {
                long[] s = byEnd.computeIfAbsent(lastStatus.get(domain), k -> new long[3]);
                s[0]++;
                s[1] += d[0];
                s[2] += d[1];
            });
            byEnd.forEach((status, s) -> System.out.printf("end_status %s domains=%d events_per_domain=%.2f record_bytes_per_domain=%.0f%n",
                    status, s[0], (double) s[1] / s[0], (double) s[2] / s[0]));
            perType.forEach((type, t) -> System.out.printf("type %s events=%d per_domain=%.3f record_bytes_mean=%.0f%n",
                    type, t[0], (double) t[0] / domains, (double) t[1] / t[0]));

            long stateDisk = onDisk.getOrDefault(stateTopic, 0L);
            System.out.println("== " + stateTopic + " ==");
            System.out.printf("state records=%d record_bytes=%d disk_bytes=%d live_keys=%d live_record_bytes=%d live_per_domain=%.0f"
                            + " live_disk_bytes=%d live_disk_per_domain=%.0f%n",
                    state[0], state[1], stateDisk, latest.size(), liveBytes, (double) liveBytes / Math.max(1, latest.size()),
                    liveOnDisk, (double) liveOnDisk / Math.max(1, latest.size()));
        }
    }

    /** Bytes per topic over every log directory of every broker (each replica counted: with RF 1, one copy). */
    private static Map<String, Long> onDisk(Admin admin) throws ExecutionException, InterruptedException {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
        Map<String, Long> bytes = new TreeMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                dir.replicaInfos().forEach((tp, info) -> bytes.merge(tp.topic(), info.size(), Long::sum));
            }
        }
        return bytes;
    }

    /**
     * The live set written once more, as compaction would leave it, to a scratch topic (LZ4, as the services' producers;
     * each record to the partition it had): its size on disk. The scratch topic is deleted afterwards.
     */
    private static long liveCopyOnDisk(Admin admin, KafkaClientSettings kafka, Map<String, byte[]> latest,
                                       Map<String, Integer> partitionOf, int partitions) throws Exception {
        String scratch = "bench.state-live-copy-" + Instant.now().toEpochMilli();
        admin.createTopics(List.of(new NewTopic(scratch, partitions, (short) 1))).all().get();
        try {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.with(Map.of(
                    "compression.type", KafkaClientSettings.COMPRESSION, "linger.ms", 5, "acks", "all")),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                latest.forEach((key, value) -> producer.send(new ProducerRecord<>(scratch, partitionOf.get(key),
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value)));
                producer.flush();
            }
            return onDisk(admin).getOrDefault(scratch, 0L);
        } finally {
            admin.deleteTopics(List.of(scratch)).all().get();
        }
    }

    private static int await(String bootstrap, int expected, Set<WorkflowStatus> past, int timeoutSeconds, String eventsTopic) {
        EventCodec codec = new EventCodec();
        Map<String, WorkflowStatus> status = new HashMap<>();
        WorkflowStatus from = java.util.Collections.max(past);
        Instant[] leftFirst = {Instant.MAX};
        Instant[] leftLast = {Instant.MIN};
        long[] left = new long[1];
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.with(Map.of("isolation.level", "read_committed",
                "enable.auto.commit", false, "auto.offset.reset", "earliest")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(eventsTopic).stream()
                    .map(p -> new TopicPartition(eventsTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope e = codec.decode(r.value());
                    WorkflowStatus before = status.put(e.domain().value(), e.state().status());
                    if (before == from && !past.contains(e.state().status())) {
                        left[0]++;
                        leftFirst[0] = e.occurredAt().isBefore(leftFirst[0]) ? e.occurredAt() : leftFirst[0];
                        leftLast[0] = e.occurredAt().isAfter(leftLast[0]) ? e.occurredAt() : leftLast[0];
                    }
                }
                long waiting = status.values().stream().filter(past::contains).count();
                if (status.size() >= expected && waiting == 0) {
                    System.out.printf("domains=%d moved_on=%d first_ms=%d last_ms=%d span_s=%.1f%n", status.size(), left[0],
                            left[0] == 0 ? 0 : leftFirst[0].toEpochMilli(), left[0] == 0 ? 0 : leftLast[0].toEpochMilli(),
                            left[0] == 0 ? 0 : Duration.between(leftFirst[0], leftLast[0]).toMillis() / 1000.0);
                    return 0;
                }
            }
            System.out.printf("timeout after %d s: domains=%d of %d, still in %s: %d%n", timeoutSeconds, status.size(), expected, past,
                    status.values().stream().filter(past::contains).count());
            return 1;
        }
    }
}
