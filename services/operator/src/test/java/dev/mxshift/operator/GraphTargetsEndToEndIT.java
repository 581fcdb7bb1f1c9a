package dev.mxshift.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.system.LabServiceConfig;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.testsupport.Closing;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Microsoft Graph in the whole system, as an operator runs it: the four services as separate processes on the real
 * broker and the DNS lab, record generation configured with Graph (a local server that answers as Graph documents
 * serviceConfigurationRecords: Microsoft is out of reach here). Two domains are imported without Microsoft's host and
 * stop with TARGET_UNKNOWN; once Graph lists the host of one of them (Enable-DnssecForVerifiedDomain ran), that one goes
 * on by itself to completion, its history naming graph; the other keeps waiting, and nothing is appended twice. The
 * console's API says Graph is configured and which domain it resolved.
 */
class GraphTargetsEndToEndIT {

    private static final DomainName ENABLED = DomainName.of("t1-eligible-signed.com");
    private static final DomainName NOT_YET = DomainName.of("t2-eligible-signed.com");
    private static final String TOKEN = "eyJ0eXAi.graph-e2e.signature";

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = EVENTS.named(EVENTS.name().replace("events", "state"));
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");

    private static LabRun lab;
    private static ServiceFleet fleet;
    private static EventLog log;
    private static HttpServer graph;
    private static OperatorApi api;
    private static final Map<String, String> TARGETS = new HashMap<>();
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final AtomicBoolean ENABLED_AT_MICROSOFT = new AtomicBoolean();

    @BeforeAll
    static void systemUp() throws Exception {
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/e2e-graph");
        lab = LabRun.up(dir.resolve("lab"), "--tenants", "2");
        // The inventory without Microsoft's host (dnssec_mx_value), which Graph gives instead.
        List<String> rows = Files.readAllLines(lab.inventoryFile());
        List<String> inventory = new ArrayList<>(List.of(rows.get(0)));
        assertThat(rows.get(0).split(",")[4]).isEqualTo("dnssec_mx_value");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            if (f.length > 4 && (f[1].equals(ENABLED.value()) || f[1].equals(NOT_YET.value()))) {
                TARGETS.put(f[1], f[4]);
                f[4] = "";
                inventory.add(String.join(",", f));
            }
        }
        assertThat(TARGETS).containsKeys(ENABLED.value(), NOT_YET.value());
        Files.createDirectories(dir);
        Path file = Files.write(dir.resolve("graph.csv"), inventory);

        graph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        graph.createContext("/v1.0/domains/", GraphTargetsEndToEndIT::answer);
        graph.start();
        Path token = LabServiceConfig.secret(dir.resolve("secrets/graph-token"), TOKEN);
        String bootstrap = KafkaTestBroker.bootstrapServers();
        Map<Service, List<String>> arguments = EndToEnd.arguments(lab, dir, EVENTS, STATE);
        arguments.get(Service.RECORD_GENERATION).addAll(List.of(
                "--mxshift.record-generation.graph.base-url=http://127.0.0.1:" + graph.getAddress().getPort() + "/v1.0",
                "--mxshift.record-generation.graph.token=file:" + token,
                "--mxshift.record-generation.graph.look-again=2s",
                "--mxshift.record-generation.graph.poll-interval=200ms"));
        fleet = EndToEnd.fleet(dir, arguments);
        log = EndToEnd.eventLog(EVENTS, STATE);
        fleet.startAll(List.of(Service.values()), 0, Duration.ofSeconds(180));

        ImportCommand.Result imported = ImportCommand.importFiles(List.of(file), bootstrap, EVENTS.name(), "e2e-graph");
        assertThat(imported.imported()).isEqualTo(2);
        assertThat(imported.rejected()).isZero();

        Path tokens = Files.createTempDirectory("graph-e2e").resolve("api-tokens");
        Files.writeString(tokens, HOSTER.line() + "\n");
        api = new OperatorApi(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)), log, ApiTokens.read(tokens), line -> { });
    }

    @AfterAll
    static void systemDown() throws Exception {
        Closing.closeAll(api, fleet, lab, log, graph == null ? null : () -> graph.stop(0));
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String domain = exchange.getRequestURI().getPath().split("/")[3];
        CALLS.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        int status = 200;
        String body;
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body = "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty.\"}}";
        } else if (!TARGETS.containsKey(domain)) {
            status = 404;
            body = "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource '" + domain + "' does not exist.\"}}";
        } else {
            String mx = domain.equals(ENABLED.value()) && ENABLED_AT_MICROSOFT.get() ? TARGETS.get(domain)
                    : domain.replace('.', '-') + ".mail.protection.outlook.com";
            body = """
                    {"value":[{"@odata.type":"#microsoft.graph.domainDnsMxRecord","id":"%1$s-mx","isOptional":false,"label":"%1$s",
                      "recordType":"Mx","supportedService":"Email","ttl":3600,"mailExchange":"%2$s","preference":0}]}""".formatted(domain, mx);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void aDomainWaitingForItsTargetGoesOnToCompletionOnceGraphHasItAndTheOtherKeepsWaiting() throws Exception {
        // Both stop with TARGET_UNKNOWN; Graph is asked and still lists the legacy host
        await().atMost(Duration.ofSeconds(180)).until(() -> {
            Map<DomainName, MigrationState> states = log.snapshot().states();
            return List.of(ENABLED, NOT_YET).stream().allMatch(d -> states.containsKey(d) && states.get(d).status() == WorkflowStatus.BLOCKED
                    && states.get(d).blockReasons().stream().anyMatch(f -> f.code().equals("TARGET_UNKNOWN")))
                    && CALLS.getOrDefault(ENABLED.value(), new AtomicInteger()).get() >= 1;
        });
        long notYetAt = log.snapshot().states().get(NOT_YET).sequence();
        long enabledAt = log.snapshot().states().get(ENABLED).sequence();

        // Enable-DnssecForVerifiedDomain ran for one of them: Graph lists its mx.microsoft host
        ENABLED_AT_MICROSOFT.set(true);
        // (the operator confirms Enable-SmtpDaneInbound when the plan gets there, as for any domain)
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).until(() -> {
            MigrationState s = log.snapshot().states().get(ENABLED);
            if (Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation) {
                OperatorCli confirm = OperatorCli.run(EVENTS.name(), STATE.name(), "confirm", ENABLED.value(), "--by", "e2e", "--wait", "10");
                assertThat(confirm.code()).as(confirm.all()).isIn(0, 1);
            }
            // still blocked where it waited is not an outcome: graph's target and replay come first (two events), so a stop
            // counts only after them
            return s.status().terminal() || (s.status().stopped() && s.sequence() > enabledAt + 2);
        });
        MigrationState done = log.snapshot().states().get(ENABLED);
        assertThat(done.status()).as(StatusCommand.detail(done)).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(done.targetHost().value()).isEqualTo(TARGETS.get(ENABLED.value()));
        assertThat(done.plan().finalMx().records()).anySatisfy(r -> assertThat(r.exchange().value()).isEqualTo(TARGETS.get(ENABLED.value())));

        // Its history: the target and the replay, asked by graph, once each
        List<EventEnvelope> history = log.history(ENABLED);
        List<EventEnvelope> byGraph = history.stream().filter(e -> Actor.service("graph").equals(e.actor())).toList();
        assertThat(byGraph).hasSize(2);
        assertThat(byGraph.get(0).payload()).isInstanceOfSatisfying(TargetAssigned.class, t -> assertThat(t.source()).isEqualTo("Microsoft Graph"));
        assertThat(byGraph.get(1).payload()).isInstanceOf(RetryRequested.class);
        OperatorCli shown = OperatorCli.run(EVENTS.name(), STATE.name(), "history", ENABLED.value());
        assertThat(shown.out()).contains("TargetAssigned").contains("[asked by graph (SERVICE)]");

        // The other keeps waiting, asked again and again, and nothing was appended for it
        int asked = CALLS.get(NOT_YET.value()).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> CALLS.get(NOT_YET.value()).get() >= asked + 2);
        MigrationState waiting = log.snapshot().states().get(NOT_YET);
        assertThat(waiting.status()).isEqualTo(WorkflowStatus.BLOCKED);
        assertThat(waiting.sequence()).isEqualTo(notYetAt);
        assertThat(log.history(ENABLED).stream().filter(e -> Actor.service("graph").equals(e.actor()))).hasSize(2);

        // The console's Microsoft view: Graph is configured and resolved the one domain
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.port() + "/api/v1/console/graph"))
                .header("Authorization", "Bearer " + HOSTER.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode console = JsonMapper.builder().build().readTree(answer.body());
        assertThat(console.path("configured").asBoolean()).isTrue();
        assertThat(console.path("resolved")).hasSize(1);
        assertThat(console.path("resolved").get(0).path("domain").asString()).isEqualTo(ENABLED.value());
        assertThat(console.path("resolved").get(0).path("target").asString()).isEqualTo(TARGETS.get(ENABLED.value()));
    }
}
