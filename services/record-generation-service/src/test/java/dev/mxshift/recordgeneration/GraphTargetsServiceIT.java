package dev.mxshift.recordgeneration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.EventVerdict;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.service.EventLogTestClient;
import dev.mxshift.service.TopicToEnd;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record-generation service with Microsoft Graph configured, on the real broker, against a local server that answers
 * as Graph documents GET /domains/{id}/serviceConfigurationRecords (the only stand-in there can be: Microsoft is out of
 * reach here). Domains blocked with TARGET_UNKNOWN get Microsoft's host and go on by themselves once Graph has it; one
 * Microsoft has not assigned keeps waiting, asked again at a bounded pace; a 429's Retry-After is waited out; a refused
 * token is reported once; and looking again appends nothing twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
class GraphTargetsServiceIT {

    private static final String TOKEN = "eyJ0eXAi.graph-it-token.signature";
    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final TenantId CONTOSO = TenantId.of("tenant-contoso");
    private static final TenantId REFUSED = TenantId.of("tenant-refused");

    /** Enable-DnssecForVerifiedDomain runs for it while the service watches. */
    private static final DomainName LATER = DomainName.of("later.example");
    /** Never enabled: Graph keeps listing the legacy host. */
    private static final DomainName NOT_YET = DomainName.of("not-yet.example");
    /** Graph throttles its first request (429, Retry-After: 2). */
    private static final DomainName THROTTLED = DomainName.of("throttled.example");
    /** Of a tenant whose token Graph refuses. */
    private static final List<DomainName> REFUSED_DOMAINS = List.of(DomainName.of("refused-1.example"), DomainName.of("refused-2.example"));

    private static final HttpServer GRAPH;
    private static final Map<String, List<Long>> CALLS = new ConcurrentHashMap<>();
    private static final AtomicBoolean LATER_ENABLED = new AtomicBoolean();
    private static final Path TOKENS;

    static {
        try {
            TOKENS = Files.createTempDirectory("graph-it");
            Files.writeString(TOKENS.resolve("token"), TOKEN + "\n");
            Files.writeString(TOKENS.resolve("refused-token"), "eyJ0eXAi.revoked.signature\n");
            GRAPH = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            GRAPH.createContext("/v1.0/domains/", GraphTargetsServiceIT::answer);
            GRAPH.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        RecordGenerationServiceIT.bindToTestTopics(registry, EVENTS, STATE);
        registry.add("mxshift.record-generation.graph.base-url", () -> "http://127.0.0.1:" + GRAPH.getAddress().getPort() + "/v1.0");
        registry.add("mxshift.record-generation.graph.token", () -> "file:" + TOKENS.resolve("token"));
        registry.add("mxshift.record-generation.graph.tenant-tokens", () -> REFUSED + "=file:" + TOKENS.resolve("refused-token"));
        registry.add("mxshift.record-generation.graph.look-again", () -> "2s");
        registry.add("mxshift.record-generation.graph.look-again-after-problem", () -> "2s");
        registry.add("mxshift.record-generation.graph.poll-interval", () -> "200ms");
        registry.add("mxshift.record-generation.graph.max-wait", () -> "5s");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.stop(0);
    }

    /** Graph's documented answers: the record list (with the Mx record), or its error object. */
    private static void answer(HttpExchange exchange) throws IOException {
        String domain = exchange.getRequestURI().getPath().split("/")[3];
        List<Long> calls = CALLS.computeIfAbsent(domain, d -> new CopyOnWriteArrayList<>());
        calls.add(System.nanoTime());
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Lifetime validation failed, the token is expired.\"}}");
            return;
        }
        if (domain.equals(THROTTLED.value()) && calls.size() == 1) {
            exchange.getResponseHeaders().add("Retry-After", "2");
            send(exchange, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests.\"}}");
            return;
        }
        boolean assigned = domain.equals(THROTTLED.value()) || domain.equals(LATER.value()) && LATER_ENABLED.get();
        String mx = assigned ? domain.replace('.', '-') + ".o-v1.mx.microsoft" : domain.replace('.', '-') + ".mail.protection.outlook.com";
        send(exchange, 200, """
                {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#domains('%1$s')/serviceConfigurationRecords",
                 "value":[
                  {"@odata.type":"#microsoft.graph.domainDnsCnameRecord","id":"%1$s-autodiscover","isOptional":false,
                   "label":"autodiscover.%1$s","recordType":"CName","supportedService":"Email","ttl":3600,"canonicalName":"autodiscover.outlook.com"},
                  {"@odata.type":"#microsoft.graph.domainDnsMxRecord","id":"%1$s-mx","isOptional":false,
                   "label":"%1$s","recordType":"Mx","supportedService":"Email","ttl":3600,"mailExchange":"%2$s","preference":0}
                 ]}""".formatted(domain, mx));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void blockedDomainsGetMicrosoftsHostFromGraphAndGoOnByThemselvesOnce(CapturedOutput output) throws Exception {
        Map<DomainName, DomainHistory> histories = new HashMap<>();
        for (DomainName d : List.of(LATER, NOT_YET, THROTTLED)) {
            histories.put(d, GraphTargetDecisionTest.blockedWithoutTarget(d));
        }
        for (DomainName d : REFUSED_DOMAINS) {
            histories.put(d, GraphTargetDecisionTest.blockedWithoutTarget(d, REFUSED));
        }
        List<EventEnvelope> all = new ArrayList<>();
        histories.values().forEach(h -> all.addAll(h.events()));
        EventLogTestClient.produce(EVENTS.name(), all);

        // throttled.example: the 429's Retry-After is waited out, then Microsoft's host comes and the domain goes on
        await().atMost(Duration.ofSeconds(90)).until(() -> eventsOf(THROTTLED).size() == histories.get(THROTTLED).events().size() + 2);
        List<Long> throttledCalls = CALLS.get(THROTTLED.value());
        assertThat(Duration.ofNanos(throttledCalls.get(1) - throttledCalls.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        assertGoesOnByGraph(THROTTLED, histories.get(THROTTLED));

        // later.example and not-yet.example wait: Microsoft still lists the legacy host; they are asked again, at a bounded pace
        await().atMost(Duration.ofSeconds(30)).until(() -> CALLS.getOrDefault(LATER.value(), List.of()).size() >= 2
                && CALLS.getOrDefault(NOT_YET.value(), List.of()).size() >= 2);
        assertThat(eventsOf(LATER)).hasSize(histories.get(LATER).events().size());
        List<Long> laterCalls = CALLS.get(LATER.value());
        assertThat(Duration.ofNanos(laterCalls.get(1) - laterCalls.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1950));

        // Enable-DnssecForVerifiedDomain runs for later.example: Graph lists its mx.microsoft host, and it goes on
        LATER_ENABLED.set(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(LATER).size() == histories.get(LATER).events().size() + 2);
        assertGoesOnByGraph(LATER, histories.get(LATER));

        // Looking again appends nothing: the resolved domains keep exactly their two events, and not-yet.example none,
        // while not-yet.example is asked about again and again
        int notYetCalls = CALLS.get(NOT_YET.value()).size();
        await().atMost(Duration.ofSeconds(30)).until(() -> CALLS.get(NOT_YET.value()).size() >= notYetCalls + 2);
        assertThat(eventsOf(LATER)).hasSize(histories.get(LATER).events().size() + 2);
        assertThat(eventsOf(THROTTLED)).hasSize(histories.get(THROTTLED).events().size() + 2);
        assertThat(eventsOf(NOT_YET)).hasSize(histories.get(NOT_YET).events().size());
        assertThat(CALLS.get(THROTTLED.value())).hasSize(2);

        // The refused token: its two domains were asked about again and again, and it was reported once
        assertThat(CALLS.get(REFUSED_DOMAINS.get(0).value()).size() + CALLS.get(REFUSED_DOMAINS.get(1).value()).size()).isGreaterThanOrEqualTo(4);
        String refusal = "Microsoft Graph refused the token file:" + TOKENS.resolve("refused-token");
        assertThat(output.getAll().split(java.util.regex.Pattern.quote(refusal), -1)).as(output.getAll()).hasSize(2);
        assertThat(output.getAll()).contains("it needs Domain.Read.All").doesNotContain("revoked").doesNotContain(TOKEN);
        for (DomainName d : REFUSED_DOMAINS) {
            assertThat(eventsOf(d)).hasSize(histories.get(d).events().size());
        }

        // For the console: Graph is configured, and which domains it resolved
        Map<String, JsonNode> advice = new HashMap<>();
        TopicToEnd.read(KafkaTestBroker.bootstrapServers(), TopicCatalogue.graphTargetsOf(STATE.name()), Duration.ofSeconds(30), r -> {
            if (r.value() != null) {
                advice.put(new String(r.key(), StandardCharsets.UTF_8), JsonMapper.builder().build().readTree(r.value()));
            }
        });
        assertThat(advice).containsOnlyKeys(TopicCatalogue.GRAPH_STATUS_KEY, LATER.value(), THROTTLED.value());
        assertThat(advice.get(TopicCatalogue.GRAPH_STATUS_KEY).path("configured").asBoolean()).isTrue();
        assertThat(advice.get(LATER.value()).path("target").asString()).isEqualTo("later-example.o-v1.mx.microsoft");
        assertThat(advice.get(LATER.value()).path("tenant").asString()).isEqualTo(CONTOSO.value());
    }

    private static void assertGoesOnByGraph(DomainName domain, DomainHistory before) {
        List<EventEnvelope> events = eventsOf(domain);
        EventEnvelope assigned = events.get(before.events().size());
        EventEnvelope retry = events.get(before.events().size() + 1);
        assertThat(assigned.sequence()).isEqualTo(before.state().sequence() + 1);
        assertThat(assigned.payload()).isEqualTo(new TargetAssigned(DomainName.of(domain.value().replace('.', '-') + ".o-v1.mx.microsoft"), "Microsoft Graph"));
        assertThat(assigned.actor()).isEqualTo(Actor.service("graph"));
        assertThat(retry.payload()).isInstanceOf(RetryRequested.class);
        assertThat(retry.actor()).isEqualTo(Actor.service("graph"));
        assertThat(retry.state().status()).isEqualTo(WorkflowStatus.REQUESTED);
        assertThat(Workflow.next(retry.state())).isInstanceOf(NextAction.Discover.class);
        assertThat(EventVerdict.of(events)).allSatisfy(v -> assertThat(v.applied()).as(v.event().type()).isTrue());
    }

    private static List<EventEnvelope> eventsOf(DomainName domain) {
        EventCodec codec = new EventCodec();
        List<EventEnvelope> events = new ArrayList<>();
        TopicToEnd.read(KafkaTestBroker.bootstrapServers(), EVENTS.name(), Duration.ofSeconds(30), r -> {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(domain.value())) {
                events.add(codec.decode(r.value()));
            }
        });
        return events;
    }
}
