package dev.mxshift.service;

import dev.mxshift.model.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service needs, as the catalogue specifies them (the event log kept forever, the state topic
 * compacted), before any binding does with broker defaults (a 7-day retention would delete the system of record).
 * An existing topic is left as it is, but the event log and the state topic must have the same partition count,
 * since a domain's state is written at its event's partition.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensure(KafkaClientSettings kafka, short replication, List<TopicSpec> specs) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            for (TopicSpec spec : specs) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), replication).configs(spec.config())))
                            .all().get(60, TimeUnit.SECONDS);
                    LOG.info("created topic {} ({} partitions, {})", spec.name(), spec.partitions(), spec.config());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + spec.name() + " at " + kafka.bootstrap()
                                + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker at " + kafka.bootstrap() + " did not answer within 60 s while creating topics", e);
        }
    }

    /** Fails, naming both, when the two topics differ in partition count. */
    public static void requireSamePartitions(KafkaClientSettings kafka, String events, String state) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            Map<String, TopicDescription> d = null;
            for (int attempt = 1; d == null; attempt++) {
                try {
                    d = admin.describeTopics(List.of(events, state)).allTopicNames().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    // a topic created a moment ago is not known to every part of the broker yet
                    if (!(ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || attempt == 50) {
                        throw ex;
                    }
                    Thread.sleep(200);
                }
            }
            int e = d.get(events).partitions().size();
            int s = d.get(state).partitions().size();
            if (e != s) {
                throw new IllegalStateException("topic " + state + " has " + s + " partitions but " + events + " has " + e
                        + ": they must be equal (a domain's state is kept at its event partition); recreate " + state + " with " + e
                        + " partitions and delete the consumer group " + StateProjector.groupFor(events) + ", so that it is rebuilt from the event log");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("could not describe topics " + events + " and " + state + " at " + kafka.bootstrap(), ex);
        }
    }
}
