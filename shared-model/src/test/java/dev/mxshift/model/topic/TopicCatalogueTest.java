package dev.mxshift.model.topic;

import dev.mxshift.model.workflow.ServiceRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicCatalogueTest {

    @Test
    void theEventLogIsKeptForeverAndTheStateTopicIsCompacted() {
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        assertThat(catalogue.events().name()).isEqualTo("migration.events");
        assertThat(catalogue.events().partitions()).isEqualTo(12);
        assertThat(catalogue.events().config()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
        assertThat(catalogue.state().compacted()).isTrue();
        assertThat(catalogue.events().compacted()).isFalse();
    }

    @Test
    void eachConsumingServiceHasItsOwnDeadLetterTopicAndEveryTopicSharesThePartitionCount() {
        TopicCatalogue catalogue = new TopicCatalogue(3);
        assertThat(catalogue.deadLetters(ServiceRole.DNS_PUSH).name()).isEqualTo("migration.events.dlt.dns-push-service");
        assertThat(catalogue.all()).hasSize(8).allMatch(t -> t.partitions() == 3);
        assertThat(catalogue.all().stream().map(TopicSpec::name).distinct()).hasSize(8);
        assertThat(catalogue.gateHolds().compacted()).isTrue();
        assertThatThrownBy(() -> new TopicCatalogue(0)).hasMessageContaining("at least 1");
    }

    @Test
    void theDevelopmentBrokerKeepsOneCopyAndAProductionClusterIsConfiguredPerCatalogue() {
        assertThat(TopicCatalogue.defaults().replication()).isEqualTo(new TopicReplication(1, 1));
        TopicCatalogue production = new TopicCatalogue(12, new TopicReplication(3, 2));
        assertThat(production.replication().config()).containsExactly(java.util.Map.entry("min.insync.replicas", "2"));
        assertThatThrownBy(() -> new TopicReplication(0, 1)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new TopicReplication(1, 2)).hasMessageContaining("between 1 and the replication factor (1), got 2");
    }
}
