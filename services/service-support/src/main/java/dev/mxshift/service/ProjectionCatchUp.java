package dev.mxshift.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before a service reads the state topic at start, the projection must have reached every event the service has
 * already consumed: otherwise a state the service acted on (a wait whose timer it owns) could be missing there and
 * nowhere else, since the service resumes the log after it. Compares the two consumer groups' committed offsets.
 */
public final class ProjectionCatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionCatchUp.class);

    private ProjectionCatchUp() {
    }

    /** Returns true once caught up; false, with a warning, when {@code patience} runs out first. */
    public static boolean await(KafkaClientSettings kafka, String eventsTopic, String serviceGroup, String projectorGroup, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = Admin.create(kafka.with(Map.of()))) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> service = offsets(admin, serviceGroup, eventsTopic);
                Map<TopicPartition, OffsetAndMetadata> projector = offsets(admin, projectorGroup, eventsTopic);
                long behind = service.entrySet().stream().filter(e -> {
                    OffsetAndMetadata p = projector.get(e.getKey());
                    return p == null || p.offset() < e.getValue().offset();
                }).count();
                if (behind == 0) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    LOG.warn("the state projection of {} is still behind {} on {} partition(s) after {} s; starting anyway",
                            eventsTopic, serviceGroup, behind, patience.toSeconds());
                    return false;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The offsets {@code group} has committed on {@code topic}, by partition (partitions without one are absent). */
    public static Map<Integer, Long> committed(KafkaClientSettings kafka, String topic, String group) {
        try (Admin admin = Admin.create(kafka.with(Map.of()))) {
            Map<Integer, Long> byPartition = new java.util.HashMap<>();
            offsets(admin, group, topic).forEach((tp, o) -> byPartition.put(tp.partition(), o.offset()));
            return byPartition;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of consumer group " + group, e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String group, String topic) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> ofTopic = new java.util.HashMap<>();
            all.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(topic)) {
                    ofTopic.put(tp, o);
                }
            });
            return ofTopic;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the committed offsets of consumer group " + group, e);
        }
    }
}
