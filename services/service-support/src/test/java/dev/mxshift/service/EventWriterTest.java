package dev.mxshift.service;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EventWriterTest {

    /**
     * The operator found a domain's partition with this formula of its own before the writer named it (issue 32): the
     * same partitions, so a history read after the change finds what was appended before it.
     */
    @Test
    void aDomainsPartitionIsTheOneTheOperatorComputedBefore() {
        for (int partitions : new int[] {1, 3, 12, 50}) {
            for (int i = 0; i < 500; i++) {
                String domain = "d" + i + ".example";
                assertThat(EventWriter.partitionOf(domain, partitions)).as("%s of %d", domain, partitions)
                        .isEqualTo(Utils.toPositive(Utils.murmur2(domain.getBytes(StandardCharsets.UTF_8))) % partitions);
            }
        }
    }

    @Test
    void aDomainsKeyIsItsCanonicalName() {
        assertThat(EventWriter.keyOf(dev.mxshift.model.dns.DomainName.of("Example.COM."))).isEqualTo("example.com".getBytes(StandardCharsets.UTF_8));
    }
}
