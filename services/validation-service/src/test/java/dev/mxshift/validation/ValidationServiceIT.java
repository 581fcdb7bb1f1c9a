package dev.mxshift.validation;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.MtaStsSnapshot;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation service on the event log, against the real broker and the lab: discovered domains get their
 * preflight verdict as their next event, from mxshift's own DNSSEC validation and a real STARTTLS probe.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ValidationServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static LabRun lab;

    @DynamicPropertySource
    static void brokerAndLab(DynamicPropertyRegistry registry) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, EVENTS, STATE, new TopicSpec(EVENTS.name() + ".dlt", EVENTS.key(), EVENTS.partitions(), EVENTS.config(), "test"));
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/validation-service/target/lab-service"));
        JsonNode endpoints = lab.endpoints();
        List<String> ports = new ArrayList<>();
        endpoints.path("authoritative").forEach(s -> ports.add(s.path("address").asString() + "=" + s.path("port").asInt()));
        registry.add("spring.cloud.stream.kafka.binder.brokers", () -> bootstrap);
        registry.add("spring.cloud.stream.bindings.events-in-0.destination", EVENTS::name);
        registry.add("spring.cloud.stream.bindings.events-out-0.destination", EVENTS::name);
        registry.add("mxshift.events.state-topic", STATE::name);
        registry.add("spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name", () -> EVENTS.name() + ".dlt");
        registry.add("mxshift.validation.resolver", () -> endpoints.path("resolver").path("address").asString() + ":"
                + endpoints.path("resolver").path("port").asInt());
        registry.add("mxshift.validation.trust-anchor-file", () -> endpoints.path("trustAnchorFile").asString());
        registry.add("mxshift.validation.authoritative-ports", () -> String.join(",", ports));
    }

    @AfterAll
    static void down() {
        lab.close();
    }

    @Test
    void discoveredDomainsGetTheirPreflightVerdictAsTheirNextEvent() throws Exception {
        Map<String, EventEnvelope> discovered = new HashMap<>();
        for (String domain : List.of("contoso.com", "wingtip.com", "graphicdesigninstitute.com", "woodgrovebank.com")) {
            discovered.put(domain, discovered(domain));
        }
        EventLogTestClient.produce(EVENTS.name(), List.copyOf(discovered.values()));

        Map<String, EventEnvelope> verdicts = EventLogTestClient.latestPerDomain(EVENTS.name(), discovered.size(),
                e -> e.payload() instanceof PreflightPassed || e.payload() instanceof PreflightBlocked, Duration.ofSeconds(120));
        assertThat(verdicts.get("contoso.com").payload()).isInstanceOf(PreflightPassed.class);
        assertThat(verdicts.get("contoso.com").state().status()).isEqualTo(WorkflowStatus.READY);
        assertThat(codes(verdicts.get("wingtip.com"))).containsExactly("ZONE_BOGUS");
        assertThat(((PreflightBlocked) verdicts.get("wingtip.com").payload()).reasons().get(0).message()).contains("DS_MATCHES_NO_KEY");
        assertThat(codes(verdicts.get("graphicdesigninstitute.com"))).containsExactly("TARGET_DANE_FAILED");
        assertThat(codes(verdicts.get("woodgrovebank.com"))).containsExactly("MTA_STS_NOT_COVERING");
        for (Map.Entry<String, EventEnvelope> verdict : verdicts.entrySet()) {
            EventEnvelope trigger = discovered.get(verdict.getKey());
            assertThat(verdict.getValue().sequence()).isEqualTo(trigger.sequence() + 1);
            assertThat(verdict.getValue().causationId()).isEqualTo(trigger.eventId());
        }
    }

    private static List<String> codes(EventEnvelope event) {
        assertThat(event.payload()).isInstanceOf(PreflightBlocked.class);
        return ((PreflightBlocked) event.payload()).reasons().stream().map(Finding::code).toList();
    }

    /** The domain's second event, as discovery would have appended it for what the lab publishes. */
    private static EventEnvelope discovered(String name) {
        JsonNode tenant = lab.tenants().stream().filter(t -> t.path("domain").asString().equals(name)).findFirst().orElseThrow();
        DomainName domain = DomainName.of(name);
        MxRecordSet mx = MxRecordSet.of(domain, 3600, new MxRecord(0, DomainName.of(tenant.path("legacyHost").asString())));
        MtaStsSnapshot sts = !name.equals("woodgrovebank.com") ? null : new MtaStsSnapshot(
                new RecordSet("_mta-sts." + name, "TXT", 3600, List.of("\"v=STSv1; id=mtastswildcard1\"")),
                new MtaStsPolicy(MtaStsPolicy.Mode.ENFORCE, List.of("*.mail.protection.outlook.com", "*.mx.microsoft"), 604800));
        TenantId tenantId = TenantId.of(tenant.path("tenant").asString());
        MigrationState state = MigrationState.initial(domain);
        EventEnvelope requested = Workflow.emit(state, tenantId, new MigrationRequested(ProviderRef.of("lab-powerdns", name),
                DomainName.of(tenant.path("targetHost").asString()), "it", List.of(), "test"), UUID.randomUUID(), null, Instant.now(), EventCodec.CURRENT_SCHEMA_VERSION);
        return Workflow.emit(requested.state(), tenantId, new Discovered(new DiscoverySnapshot(MxClassification.LEGACY_EXCHANGE_ONLINE,
                "lab", mx, List.of(mx.toRecordSet()), List.of("lab"), true, true, sts)), UUID.randomUUID(), requested.eventId(),
                Instant.now(), EventCodec.CURRENT_SCHEMA_VERSION);
    }


}
