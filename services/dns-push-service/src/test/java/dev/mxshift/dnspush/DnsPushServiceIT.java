package dev.mxshift.dnspush;

import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.connectors.ConnectorLab;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.dnspush.engine.ResilientConnector;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push service on the event log, against the lab's PowerDNS: a domain whose next action is a write gets it
 * applied and a "step applied" event; a domain whose records are not what the plan expected gets a conflict with
 * the provider's version, and nothing is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class DnsPushServiceIT {

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final EventCodec CODEC = new EventCodec();
    private static ConnectorLab lab;

    @Autowired
    private Map<String, ResilientConnector> connectors;
    @Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @DynamicPropertySource
    static void brokerAndLab(DynamicPropertyRegistry registry) {
        // granted to the test histories' tenant only (DomainHistory's "tenant-1")
        lab = PushServiceOnLab.register(registry, EVENTS, STATE, "lab-service", "tenant-1");
    }

    @AfterAll
    static void down() {
        lab.close();
    }

    @Test
    void aWriteStepIsAppliedAtTheProviderAndAnEditedSetIsAConflict(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        DomainHistory contoso = atFirstWrite(DomainName.of("contoso.com"));
        // fabrikam.com's lab MX is at preference 10; the test plan expects 0, as if someone had changed it since.
        DomainHistory fabrikam = atFirstWrite(DomainName.of("fabrikam.com"));
        EventLogTestClient.produce(EVENTS.name(), contoso.events());
        EventLogTestClient.produce(EVENTS.name(), fabrikam.events());

        Map<String, EventEnvelope> results = EventLogTestClient.latestPerDomain(EVENTS.name(), 2,
                e -> (e.payload() instanceof StepApplied || e.payload() instanceof StepApplyFailed) && !e.domain().value().equals("northwind.net"),
                Duration.ofSeconds(60));
        EventEnvelope applied = results.get("contoso.com");
        assertThat(applied.payload()).isInstanceOfSatisfying(StepApplied.class, a -> {
            assertThat(a.alreadyInPlace()).isFalse();
            assertThat(a.evidence()).contains("PowerDNS");
        });
        assertThat(applied.causationId()).isEqualTo(contoso.last().eventId());
        RrSet served = connectors.get("powerdns-lab").read("contoso.com", "contoso.com", "MX").orElseThrow();
        assertThat(served.ttl()).as("the plan's first step lowers the TTL").isEqualTo(300);

        EventEnvelope conflict = results.get("fabrikam.com");
        assertThat(conflict.payload()).isInstanceOfSatisfying(StepApplyFailed.class, f -> {
            assertThat(f.kind()).isEqualTo(ApplyFailureKind.CONFLICT);
            assertThat(f.actual().rdata()).containsExactly("10 fabrikam-com.mail.protection.outlook.com.");
        });
        assertThat(connectors.get("powerdns-lab").read("fabrikam.com", "fabrikam.com", "MX").orElseThrow().ttl())
                .as("nothing was written").isEqualTo(3600);
        // Each connector instance's Resilience4j state is exported, named after it.
        assertThat(meters.find("resilience4j.ratelimiter.available.permissions").tag("name", "connector-powerdns-lab").gauge()).isNotNull();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "connector-powerdns-lab").gauges()).isNotEmpty();
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "connector-powerdns-lab").functionCounters()).isNotEmpty();
        // Invariant 5: the API key is named (file:...) in configuration; its value is in no log line and no event.
        String secret = lab.endpoints().path("powerdnsApi").path("apiKey").asString();
        assertThat(output.getAll()).isNotEmpty().doesNotContain(secret);
        assertThat(results.values()).allSatisfy(e -> assertThat(new String(CODEC.encode(e), StandardCharsets.UTF_8)).doesNotContain(secret));
    }

    @Test
    void aConnectorNotGrantedToTheDomainsTenantWritesNothingWhateverTheEventSays() throws Exception {
        DomainName northwind = DomainName.of("northwind.net");
        java.util.Optional<RrSet> before = connectors.get("powerdns-lab").read("northwind.net", "northwind.net", "MX");
        DomainHistory intruder = atFirstWrite(new DomainHistory(northwind, dev.mxshift.model.dns.TenantId.of("tenant-intruder")));
        assertThat(intruder.state().provider().connectorId()).isEqualTo("powerdns-lab");
        EventLogTestClient.produce(EVENTS.name(), intruder.events());

        EventEnvelope refused = EventLogTestClient.latestPerDomain(EVENTS.name(), 1,
                e -> e.domain().equals(northwind) && (e.payload() instanceof StepApplied || e.payload() instanceof StepApplyFailed),
                Duration.ofSeconds(60)).get("northwind.net");
        assertThat(refused.payload()).isInstanceOfSatisfying(StepApplyFailed.class, f -> {
            assertThat(f.kind()).isEqualTo(ApplyFailureKind.PERMANENT);
            assertThat(f.reason()).contains("'powerdns-lab' is not granted to tenant tenant-intruder").contains("nothing was written");
        });
        assertThat(connectors.get("powerdns-lab").read("northwind.net", "northwind.net", "MX")).as("nothing was written").isEqualTo(before);
    }

    private static DomainHistory atFirstWrite(DomainName domain) {
        return atFirstWrite(DomainHistory.of(domain));
    }

    private static DomainHistory atFirstWrite(DomainHistory history) {
        while (!(Workflow.next(history.state()) instanceof NextAction.ApplyStep)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        return history;
    }


}
