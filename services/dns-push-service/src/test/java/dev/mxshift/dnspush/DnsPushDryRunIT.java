package dev.mxshift.dnspush;

import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.connectors.ConnectorLab;
import dev.mxshift.dnspush.engine.ResilientConnector;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The push service in dry-run mode: it reads and compares at the provider, counts what it would write, and writes nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "mxshift.push.dry-run=true")
class DnsPushDryRunIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static ConnectorLab lab;

    @Autowired
    private Map<String, ResilientConnector> connectors;
    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void brokerAndLab(DynamicPropertyRegistry registry) {
        lab = PushServiceOnLab.register(registry, EVENTS, STATE, "lab-dry-run", "*");
    }

    @AfterAll
    static void down() {
        lab.close();
    }

    @Test
    void aWriteStepIsComparedAndCountedButNothingIsWrittenOrAppended() throws Exception {
        DomainHistory contoso = DomainHistory.of(DomainName.of("contoso.com"));
        while (!(Workflow.next(contoso.state()) instanceof NextAction.ApplyStep)) {
            contoso.add(CooperativeWorld.successorOf(contoso.state()));
        }
        RrSet before = connectors.get("powerdns-lab").read("contoso.com", "contoso.com", "MX").orElseThrow();
        EventLogTestClient.produce(EVENTS.name(), contoso.events());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> wouldApply() >= 1);
        assertThat(wouldApply()).isEqualTo(1);
        assertThat(connectors.get("powerdns-lab").read("contoso.com", "contoso.com", "MX")).hasValue(before);
        // read_uncommitted, as this check always read: an append the service aborted or has not yet committed counts too
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()))
                .consumer(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, "dry-run-it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            consumer.subscribe(List.of(EVENTS.name()));
            int seen = 0;
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                seen += consumer.poll(Duration.ofMillis(500)).count();
            }
            assertThat(seen).as("only the events the test produced").isEqualTo(contoso.events().size());
        }
    }

    private double wouldApply() {
        return meters.find(PushHandler.PUSHES).tag("type", "WouldApply").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
