package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.GateHold;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes why the wave gate holds each ready domain on the compacted gate-holds topic, keyed by domain, for operators
 * (decision 0017, addendum): only what changed since the last call, and a tombstone for a domain no longer held. Advice,
 * not a record: a hold applies only while the domain's state is the one it names ({@link GateHold#appliesTo}), so a
 * hold left behind (by a stopped instance, or a send that failed) misleads nobody once the domain moves on. A failed
 * send is tried again at the next call. Called from one thread.
 */
final class GateHoldPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GateHoldPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private Map<DomainName, GateHold> published = new HashMap<>();

    GateHoldPublisher(KafkaClientSettings kafka, String topic) {
        this(new KafkaClients(kafka).producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                // advice only: a broker that is away must not hold the caller for long
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)), topic);
    }

    private GateHoldPublisher(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** A change to send: the domain's new hold, or null for a tombstone. */
    record Change(DomainName domain, GateHold hold) {
    }

    /** What to send to go from {@code before} to {@code now}: holds new or changed, and tombstones for the released. */
    static List<Change> changes(Map<DomainName, GateHold> before, Map<DomainName, GateHold> now) {
        List<Change> changes = new ArrayList<>();
        now.forEach((d, hold) -> {
            GateHold was = before.get(d);
            if (was == null || was.sequence() != hold.sequence() || !was.reason().equals(hold.reason())) {
                changes.add(new Change(d, hold));
            }
        });
        before.keySet().stream().filter(d -> !now.containsKey(d)).forEach(d -> changes.add(new Change(d, null)));
        return changes;
    }

    /** Sends what changed since the last call; returns how many records were sent (and acknowledged). */
    int publish(Collection<GateHold> holds) {
        Map<DomainName, GateHold> now = new HashMap<>();
        holds.forEach(h -> now.put(h.domain(), h));
        List<Change> changes = changes(published, now);
        if (changes.isEmpty()) {
            return 0;
        }
        Set<DomainName> failed = ConcurrentHashMap.newKeySet();
        for (Change c : changes) {
            byte[] key = EventWriter.keyOf(c.domain());
            try {
                producer.send(new ProducerRecord<>(topic, key, c.hold() == null ? null : c.hold().encode()), (metadata, e) -> {
                    if (e != null) {
                        failed.add(c.domain());
                    }
                });
            } catch (RuntimeException e) {
                failed.add(c.domain());
            }
        }
        producer.flush();
        Map<DomainName, GateHold> next = new HashMap<>(now);
        for (DomainName d : failed) {
            // sent again next time: a hold not known to be published, a tombstone still to be written
            GateHold before = published.get(d);
            if (now.containsKey(d)) {
                next.remove(d);
            } else if (before != null) {
                next.put(d, before);
            }
        }
        if (!failed.isEmpty()) {
            LOG.warn("{} of {} wave-gate holds could not be published on {}; they are sent again at the next check", failed.size(), changes.size(), topic);
        }
        published = next;
        return changes.size() - failed.size();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
