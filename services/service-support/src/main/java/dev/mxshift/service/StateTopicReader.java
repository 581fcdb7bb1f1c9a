package dev.mxshift.service;

import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands every state of the compacted state topic, read to its current end, to the caller in order (a domain's later
 * states after its earlier ones): what a service knows of every domain before it consumes the event log. A record
 * that is not a state is skipped with a warning.
 */
public final class StateTopicReader {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicReader.class);

    private StateTopicReader() {
    }

    /** Returns how many states were read; none when the topic does not exist yet. */
    public static long forEach(String bootstrap, String stateTopic, Duration patience, Consumer<MigrationState> each) {
        return forEach(KafkaClientSettings.plaintext(bootstrap), stateTopic, p -> true, patience, each);
    }

    /** The states of the partitions {@code partitions} accepts. */
    public static long forEach(KafkaClientSettings kafka, String stateTopic, java.util.function.IntPredicate partitions,
                               Duration patience, Consumer<MigrationState> each) {
        EventCodec codec = new EventCodec();
        AtomicLong read = new AtomicLong();
        TopicToEnd.read(kafka, stateTopic, partitions, patience, record -> {
            if (record.value() == null) {
                return;
            }
            try {
                each.accept(codec.decodeState(record.value()));
                read.incrementAndGet();
            } catch (EventDecodingException e) {
                LOG.warn("a record of {} at offset {} is not a migration state; skipped", stateTopic, record.offset());
            }
        });
        return read.get();
    }
}
