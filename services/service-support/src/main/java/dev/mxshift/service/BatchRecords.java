package dev.mxshift.service;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.util.List;
import java.util.Map;

/**
 * The records of a batch as the binder hands it over (one message: a list of payloads, and each per-record header
 * as a list in the same order), one record at a time, each with its own key, topic, partition and offset.
 */
final class BatchRecords {

    private BatchRecords() {
    }

    /** Record {@code index} of the batch: its payload, and the index-th element of every per-record header. */
    static Message<byte[]> record(Message<List<byte[]>> batch, int index) {
        int size = batch.getPayload().size();
        MessageBuilder<byte[]> record = MessageBuilder.withPayload(batch.getPayload().get(index));
        for (Map.Entry<String, Object> header : batch.getHeaders().entrySet()) {
            if (header.getValue() instanceof List<?> values && values.size() == size) {
                if (values.get(index) != null) {
                    record.setHeader(header.getKey(), values.get(index));
                }
            }
        }
        return record.build();
    }

    /**
     * The first offset of each partition in a batch, in the order the partitions come (an offset is null when the
     * binder gave none).
     */
    static java.util.Map<org.apache.kafka.common.TopicPartition, Long> firstOffsets(Message<List<byte[]>> batch) {
        java.util.Map<org.apache.kafka.common.TopicPartition, Long> first = new java.util.LinkedHashMap<>();
        List<?> offsets = batch.getHeaders().get(KafkaHeaders.OFFSET) instanceof List<?> list && list.size() == batch.getPayload().size() ? list : null;
        if (batch.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC) instanceof List<?> topics
                && batch.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION) instanceof List<?> numbers && topics.size() == numbers.size()) {
            for (int i = 0; i < topics.size(); i++) {
                Long offset = offsets != null && offsets.get(i) instanceof Number n ? n.longValue() : null;
                org.apache.kafka.common.TopicPartition partition =
                        new org.apache.kafka.common.TopicPartition(String.valueOf(topics.get(i)), ((Number) numbers.get(i)).intValue());
                // within a batch a partition's records come in offset order: its first record has its first offset
                first.putIfAbsent(partition, offset);
            }
        }
        return first;
    }

    /** Where a record is: topic, partition and offset. */
    static String position(Message<byte[]> record) {
        return record.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC) + "-" + record.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION)
                + "@" + record.getHeaders().get(KafkaHeaders.OFFSET);
    }

    /**
     * What Kafka refused about a record itself, in {@code failure}'s causes, or null: too large for the producer or the
     * topic, invalid for the topic, or a topic this process may not write. Sending it again can never succeed, and the
     * broker is not away, so it is not an outage to wait out ({@link #isEventLogFailure}) but the record's own fault.
     */
    static Throwable refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                    || t instanceof org.apache.kafka.common.InvalidRecordException
                    || t instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                return t;
            }
        }
        return null;
    }

    /** Whether {@link #refusal} is one of size, which the largest event appended explains. */
    static boolean refusedForSize(Throwable refusal) {
        return refusal instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || refusal instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException;
    }

    /** Whether a failure came from the event log (the broker away, a transaction fenced or timed out), not from the record. */
    static boolean isEventLogFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException || t instanceof org.springframework.kafka.KafkaException
                    || t instanceof EventAppender.NotTaken) {
                return true;
            }
        }
        return false;
    }
}
