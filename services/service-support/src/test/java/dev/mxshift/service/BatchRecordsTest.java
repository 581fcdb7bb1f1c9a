package dev.mxshift.service;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The first offset of each partition in a batch, as the rollback bookkeeping checks it against. */
class BatchRecordsTest {

    private static Message<List<byte[]>> batch(List<String> topics, List<Integer> partitions, List<Long> offsets) {
        List<byte[]> payloads = topics.stream().map(t -> new byte[0]).toList();
        MessageBuilder<List<byte[]>> b = MessageBuilder.withPayload(payloads).setHeader(KafkaHeaders.RECEIVED_TOPIC, topics)
                .setHeader(KafkaHeaders.RECEIVED_PARTITION, partitions);
        return (offsets == null ? b : b.setHeader(KafkaHeaders.OFFSET, offsets)).build();
    }

    @Test
    void eachPartitionsFirstOffsetInTheOrderThePartitionsCome() {
        Map<TopicPartition, Long> first = BatchRecords.firstOffsets(batch(List.of("e", "e", "e", "e", "e"), List.of(3, 1, 3, 1, 7),
                List.of(40L, 12L, 41L, 13L, 0L)));
        assertThat(first).containsExactly(Map.entry(new TopicPartition("e", 3), 40L), Map.entry(new TopicPartition("e", 1), 12L),
                Map.entry(new TopicPartition("e", 7), 0L));
    }

    @Test
    void withoutOffsetsFromTheBinderEachPartitionIsThereWithNone() {
        Map<TopicPartition, Long> first = BatchRecords.firstOffsets(batch(List.of("e", "e"), List.of(2, 2), null));
        assertThat(first).containsOnlyKeys(new TopicPartition("e", 2));
        assertThat(first.get(new TopicPartition("e", 2))).isNull();
        // offsets that do not match the records one to one are not trusted either
        Map<TopicPartition, Long> mismatched = BatchRecords.firstOffsets(batch(List.of("e", "e"), List.of(2, 5), Arrays.asList(9L)));
        assertThat(mismatched).containsOnlyKeys(new TopicPartition("e", 2), new TopicPartition("e", 5));
        assertThat(mismatched.values()).containsOnlyNulls();
    }
}
