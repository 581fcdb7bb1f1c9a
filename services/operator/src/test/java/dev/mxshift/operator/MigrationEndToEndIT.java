package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.Failure;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.testsupport.Closing;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system as an operator runs it: the four services as separate processes on the real broker, the lab's
 * catalogue imported with the real import, carried to its end states, and the operator's commands (CLI) acting on
 * it: a domain edited by hand stops in conflict and is replayed once fixed; a domain whose provider refused the
 * write (BIND with the zone frozen) fails, and is replayed to completion once the zone is thawed; a paused domain
 * takes no step until resumed; a rollback restores the discovered record set; a bulk replay by query touches exactly
 * the matching domains; domains imported on hold wait until started by wave or by name; bad arguments say what to do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationEndToEndIT {

    private static final DomainName EDITED = DomainName.of("contoso.com");
    private static final DomainName PAUSED = DomainName.of("fabrikam.com");
    private static final DomainName ROLLED_BACK = DomainName.of("adatum.com");
    /** Hosted on the lab's BIND, written through RFC 2136: its zone is frozen while the push service first writes. */
    private static final DomainName REJECTED = DomainName.of("alpineskihouse.com");
    /** The catalogue's unsigned zone, imported with the policy migrate-insecure: moved, and shown as not DANE-protected. */
    private static final DomainName UNSIGNED_MOVED = DomainName.of("northwind.net");
    /** The lab's synthetic tenants, imported on hold at the end, in two waves. */
    private static final List<DomainName> WAVE_1 = List.of(DomainName.of("t1-eligible-signed.com"), DomainName.of("t2-eligible-signed.com"));
    private static final List<DomainName> WAVE_2 = List.of(DomainName.of("t3-eligible-signed.com"), DomainName.of("t4-eligible-signed.com"));

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = EVENTS.named(EVENTS.name().replace("events", "state"));
    private static final String DEAD_LETTER_PREFIX = EVENTS.name() + ".dlt.";

    private static LabRun lab;
    private static ServiceFleet fleet;
    private static EventLog log;
    private static Map<String, JsonNode> tenants = new HashMap<>();
    private static Map<DomainName, Long> pausedAt = new HashMap<>();
    private static Path catalogueInventory;
    private static Path heldInventory;
    /** How many domains the event log should hold by now: the catalogue first, the held waves at the end. */
    private static int imported;

    @BeforeAll
    static void systemUp() throws Exception {
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/e2e");
        lab = LabRun.up(dir.resolve("lab"), "--tenants", "4");
        lab.tenants().forEach(t -> tenants.put(t.path("domain").asString(), t));
        // The catalogue is imported first; the four synthetic tenants later, on hold, with waves of their own.
        List<String> rows = java.nio.file.Files.readAllLines(lab.inventoryFile());
        // The catalogue's unsigned zone is moved anyway (policy migrate-insecure, the inventory's column); its zone signed
        // without a DS keeps the default policy, block.
        List<String> catalogue = new ArrayList<>(List.of(rows.get(0) + ",unsigned_zone"));
        List<String> held = new ArrayList<>(List.of(rows.get(0)));
        for (String row : rows.subList(1, rows.size())) {
            String domain = row.split(",")[1];
            if (WAVE_1.contains(DomainName.of(domain)) || WAVE_2.contains(DomainName.of(domain))) {
                String[] f = row.split(",", -1);
                f[5] = WAVE_1.contains(DomainName.of(domain)) ? "w1" : "w2";
                held.add(String.join(",", f));
            } else if (!row.isBlank()) {
                catalogue.add(row + "," + (DomainName.of(domain).equals(UNSIGNED_MOVED) ? "migrate-insecure" : ""));
            }
        }
        assertThat(held).hasSize(5);
        catalogueInventory = java.nio.file.Files.write(dir.resolve("catalogue.csv"), catalogue);
        heldInventory = java.nio.file.Files.write(dir.resolve("held.csv"), held);
        fleet = EndToEnd.fleet(dir, EndToEnd.arguments(lab, dir, EVENTS, STATE));
        log = EndToEnd.eventLog(EVENTS, STATE);
        // Push starts later: every eligible domain first reaches its first write, where the test edits one and pauses another.
        fleet.startAll(List.of(Service.DISCOVERY, Service.VALIDATION, Service.RECORD_GENERATION), 0, Duration.ofSeconds(180));
    }

    @AfterAll
    static void systemDown() throws Exception {
        Closing.closeAll(fleet, lab);
    }

    @Test
    @Order(1)
    void theCatalogueIsCarriedToItsEndStatesAndOperatorsSeeWhy() throws Exception {
        ImportCommand.Result result = ImportCommand.importFiles(List.of(catalogueInventory), KafkaTestBroker.bootstrapServers(),
                EVENTS.name(), "e2e");
        assertThat(result.rejected()).isZero();
        imported = tenants.size() - WAVE_1.size() - WAVE_2.size();
        assertThat(result.imported()).isEqualTo(imported);

        // Without the push service, every eligible domain waits at its first write.
        Map<DomainName, MigrationState> states = await(s -> s.size() == imported && s.values().stream()
                .allMatch(d -> WatchCommand.settled(d) || Workflow.next(d) instanceof NextAction.ApplyStep), Duration.ofSeconds(180));
        assertThat(states.get(EDITED).status()).isEqualTo(WorkflowStatus.MIGRATING);

        // Someone edits contoso.com's MX by hand; fabrikam.com is paused by an operator.
        patchMx(EDITED, 3600, "0 contoso-com.mail.protection.outlook.com.", "10 backup.contoso.com.");
        OperatorCli pause = cli("pause", PAUSED.value(), "--reason", "customer freeze");
        assertThat(pause.code()).as(pause.all()).isZero();
        assertThat(pause.out()).contains("done").contains("fabrikam.com");
        pausedAt.put(PAUSED, log.snapshot().states().get(PAUSED).sequence());
        // alpineskihouse.com's DNS team froze its zone: BIND refuses every update (REFUSED) until it is thawed.
        rndc("freeze", REJECTED);

        fleet.start(Service.DNS_PUSH, 0, Duration.ofSeconds(180));
        states = settle(Set.of(PAUSED), Duration.ofSeconds(240));

        for (MigrationState s : states.values()) {
            String scenario = tenants.get(s.domain().value()).path("scenario").asString();
            if (s.domain().equals(EDITED) || s.domain().equals(PAUSED) || s.domain().equals(REJECTED)) {
                continue;
            }
            if (s.domain().equals(UNSIGNED_MOVED)) {
                assertThat(s.status()).as(s.domain() + ": " + StatusCommand.detail(s)).isEqualTo(WorkflowStatus.COMPLETED);
                assertThat(StatusCommand.detail(s)).endsWith("not DANE-protected: the zone is unsigned");
            } else {
                CatalogueOutcomes.assertEndedAsExpected(s, scenario);
            }
            if (s.status() == WorkflowStatus.COMPLETED) {
                assertThat(liveMx(s.domain())).as("what " + s.domain() + "'s authoritative server serves").isEqualTo(rdata(s.plan().finalMx().toRecordSet()));
            }
        }
        // Invariant 3: the hand-edited set was not overwritten; both versions are recorded.
        MigrationState conflict = states.get(EDITED);
        assertThat(conflict.status()).isEqualTo(WorkflowStatus.CONFLICT);
        Failure f = conflict.failure();
        assertThat(f.actual().rdata()).contains("10 backup.contoso.com.");
        assertThat(f.expected().rdata()).containsExactly("0 contoso-com.mail.protection.outlook.com.");
        assertThat(liveMx(EDITED)).containsExactlyInAnyOrder("0 contoso-com.mail.protection.outlook.com.", "10 backup.contoso.com.");
        // The refused write is a failure an operator can read, and nothing was written.
        MigrationState refused = states.get(REJECTED);
        assertThat(refused.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(refused.failure().reason()).contains("REFUSED");
        assertThat(liveMx(REJECTED)).isEqualTo(rdata(refused.discoveredMx().toRecordSet()));
        // The paused domain took no step.
        assertThat(states.get(PAUSED).sequence()).isEqualTo(pausedAt.get(PAUSED));
        assertThat(states.get(PAUSED).paused()).isTrue();

        // Every history is gap-free, and what operators are shown explains each stopped domain.
        for (DomainName d : List.of(EDITED, PAUSED, DomainName.of("wingtip.com"), DomainName.of("alpineskihouse.com"))) {
            assertGapFree(d);
        }
        OperatorCli unprotected = cli("status", "--list", UNSIGNED_MOVED.value());
        assertThat(unprotected.out()).contains("COMPLETED").contains("not DANE-protected: the zone is unsigned");
        assertThat(cli("status").out()).contains("moved with an unsigned zone (policy migrate-insecure)");
        assertThat(WatchCommand.report(states, 0, true).notDaneProtected()).containsExactly(UNSIGNED_MOVED.value());
        OperatorCli status = cli("status", "--status", "BLOCKED,CONFLICT", "--list");
        assertThat(status.out()).contains("CONFLICT").contains("contoso.com").contains("ZONE_BOGUS").contains("DS_MATCHES_NO_KEY");
        OperatorCli history = cli("history", EDITED.value());
        assertThat(history.out()).contains("StepApplyFailed").contains("kind=CONFLICT").contains("-> CONFLICT");
        // who asked: the import, run at the command line, names the operating-system user; the services' events name nobody
        assertThat(history.out().lines().filter(l -> l.contains("MigrationRequested")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("[asked by " + System.getProperty("user.name") + " (CLI)]"));
        assertThat(history.out().lines().filter(l -> l.contains("StepApplyFailed")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).doesNotContain("[asked by"));
        for (Service s : Service.values()) {
            assertThat(log.records(DEAD_LETTER_PREFIX + s.module())).as("dead letters of " + s.module()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void aConflictFixedByHandIsReplayedToCompletion() throws Exception {
        OperatorCli early = cli("replay", "--tenant", "tenant-contoso", "--status", "COMPLETED");
        assertThat(early.code()).isEqualTo(1);
        assertThat(early.err()).contains("no domain matches");

        patchMx(EDITED, 3600, "0 contoso-com.mail.protection.outlook.com.");
        OperatorCli replay = cli("replay", EDITED.value());
        assertThat(replay.code()).as(replay.all()).isZero();
        MigrationState done = settle(Set.of(PAUSED), Duration.ofSeconds(120)).get(EDITED);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(liveMx(EDITED)).containsExactly("0 contoso-com.o-v1.mx.microsoft.");
        assertGapFree(EDITED);
    }

    @Test
    @Order(3)
    void aWriteTheProviderRefusedIsReplayedToCompletionOnceFixed() throws Exception {
        OperatorCli early = cli("replay", REJECTED.value());
        assertThat(early.code()).as(early.all()).isZero();
        // Still frozen: the replayed step is refused again, and the domain fails again with the same reason.
        MigrationState again = await(s -> s.get(REJECTED).status() == WorkflowStatus.FAILED
                && s.get(REJECTED).sequence() > 0 && log.history(REJECTED).stream().filter(e -> e.payload() instanceof RetryRequested).count() == 1
                && WatchCommand.settled(s.get(REJECTED)), Duration.ofSeconds(120)).get(REJECTED);
        assertThat(again.failure().reason()).contains("REFUSED");

        rndc("thaw", REJECTED);
        OperatorCli replay = cli("replay", "--status", "FAILED", "--failed-because", "REFUSED");
        assertThat(replay.code()).as(replay.all()).isZero();
        assertThat(replay.out()).contains(REJECTED.value());
        MigrationState done = settle(Set.of(PAUSED), Duration.ofSeconds(180)).get(REJECTED);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(liveMx(REJECTED)).isEqualTo(rdata(done.plan().finalMx().toRecordSet()));
        assertGapFree(REJECTED);
        List<String> types = log.history(REJECTED).stream().map(EventEnvelope::type).toList();
        assertThat(types).containsSubsequence("StepApplyFailed", "RetryRequested", "StepApplyFailed", "RetryRequested", "StepApplied",
                "MigrationCompleted");
    }

    @Test
    @Order(4)
    void aPausedDomainResumesFromWhereItStopped() throws Exception {
        // No pause: every service has read the Paused event (and, in the tests before this one, replayed two domains
        // to completion since), so a step it were to take for the paused domain would be in the log by now.
        for (Service s : Service.values()) {
            Awaitility.await(s.module() + " read the Paused event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO)
                    .until(() -> ServiceCounters.consumed(s, 0, "Paused", null) >= 1);
        }
        assertThat(log.snapshot().states().get(PAUSED).sequence()).as("still no step while paused").isEqualTo(pausedAt.get(PAUSED));
        OperatorCli again = cli("pause", PAUSED.value());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.out()).contains("refused").contains("already paused");

        OperatorCli resume = cli("resume", PAUSED.value());
        assertThat(resume.code()).as(resume.all()).isZero();
        MigrationState done = settle(Set.of(), Duration.ofSeconds(120)).get(PAUSED);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        List<EventEnvelope> history = log.history(PAUSED);
        // The first event after the pause is the resume: the step that was next when it paused ran only afterwards.
        assertThat(history.get((int) (long) pausedAt.get(PAUSED)).type()).isEqualTo("Resumed");
        assertThat(history.get((int) (long) pausedAt.get(PAUSED) + 1).type()).isEqualTo("StepApplied");
    }

    @Test
    @Order(5)
    void aRollbackRestoresTheDiscoveredRecordSet() throws Exception {
        MigrationState before = log.snapshot().states().get(ROLLED_BACK);
        assertThat(before.status()).isEqualTo(WorkflowStatus.COMPLETED);
        OperatorCli rollback = cli("rollback", ROLLED_BACK.value(), "--reason", "e2e");
        assertThat(rollback.code()).as(rollback.all()).isZero();
        MigrationState after = settle(Set.of(), Duration.ofSeconds(120)).get(ROLLED_BACK);
        assertThat(after.status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        assertThat(liveMx(ROLLED_BACK)).isEqualTo(rdata(before.discoveredMx().toRecordSet()));
        assertThat(liveTtl(ROLLED_BACK)).isEqualTo(before.discoveredMx().ttl());
    }

    @Test
    @Order(6)
    void aBulkReplayByQueryTouchesExactlyTheMatchingDomains() throws Exception {
        Map<DomainName, MigrationState> before = log.snapshot().states();
        Set<String> matching = new TreeSet<>();
        before.values().stream().filter(s -> s.status() == WorkflowStatus.BLOCKED && !s.blockReasons().isEmpty()
                && s.blockReasons().get(0).code().equals("ZONE_BOGUS")).forEach(s -> matching.add(s.domain().value()));
        assertThat(matching).hasSize(3);

        OperatorCli replay = cli("replay", "--status", "BLOCKED", "--failed-because", "ZONE_BOGUS", "--json");
        assertThat(replay.code()).as(replay.all()).isZero();
        Map<DomainName, MigrationState> after = settle(Set.of(), Duration.ofSeconds(120));
        Set<String> touched = new TreeSet<>();
        for (MigrationState s : after.values()) {
            if (s.sequence() != before.get(s.domain()).sequence()) {
                touched.add(s.domain().value());
            }
        }
        assertThat(touched).isEqualTo(matching);
        for (String d : matching) {
            List<EventEnvelope> history = log.history(DomainName.of(d));
            assertThat(history.stream().filter(e -> e.payload() instanceof RetryRequested).count()).isEqualTo(1);
            assertThat(after.get(DomainName.of(d)).status()).as("still bogus, so blocked again").isEqualTo(WorkflowStatus.BLOCKED);
        }
    }

    @Test
    @Order(7)
    void badArgumentsSayWhatToDo() {
        OperatorCli none = cli("replay");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("name the domains, or select them with --tenant");
        OperatorCli badStatus = cli("status", "--status", "DONE");
        assertThat(badStatus.code()).isEqualTo(2);
        assertThat(badStatus.err()).contains("--status").contains("COMPLETED");
        OperatorCli badDomain = cli("history", "not a domain");
        assertThat(badDomain.code()).isEqualTo(2);
        assertThat(badDomain.err()).contains("is not a domain name");
        OperatorCli unknown = cli("confirm", "unknown-domain.example");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.out()).contains("unknown").contains("imported?");
    }

    @Test
    @Order(8)
    void theHttpApiAuthenticatesAndKeepsEachTenantToItsOwnDomains() throws Exception {
        Path tokens = LabRun.repositoryRoot().resolve("services/operator/target/e2e/api-tokens");
        dev.mxshift.operator.api.ApiTokens.NewToken contosoToken = dev.mxshift.operator.api.ApiTokens.generate("contoso-ops", "tenant-contoso");
        dev.mxshift.operator.api.ApiTokens.NewToken nocToken = dev.mxshift.operator.api.ApiTokens.generate("noc", "*");
        java.nio.file.Files.writeString(tokens, "# test tokens\n" + contosoToken.line() + "\n" + nocToken.line() + "\n");
        try (OperatorApi api = new OperatorApi(new java.net.InetSocketAddress("127.0.0.1", 0), log, dev.mxshift.operator.api.ApiTokens.read(tokens))) {
            String base = "http://127.0.0.1:" + api.port() + "/api/v1";
            String contoso = contosoToken.token();
            assertThat(http("GET", base + "/openapi.yaml", null, null).body()).contains("openapi: 3.0.3");
            HttpResponse<String> anonymous = http("GET", base + "/status", null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(http("GET", base + "/status", "mxs_not-a-token", null).statusCode()).isEqualTo(401);

            // another tenant's domain answers exactly as a domain that does not exist
            HttpResponse<String> foreign = http("GET", base + "/domains/fabrikam.com", contoso, null);
            HttpResponse<String> missing = http("GET", base + "/domains/no-such-domain.example", contoso, null);
            assertThat(foreign.statusCode()).isEqualTo(404);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(foreign.body().replace("fabrikam.com", "X")).isEqualTo(missing.body().replace("no-such-domain.example", "X"));
            assertThat(http("GET", base + "/status?tenant=tenant-fabrikam", contoso, null).statusCode()).isEqualTo(403);
            HttpResponse<String> touch = http("POST", base + "/actions/pause", contoso, "{\"domains\":[\"fabrikam.com\"]}");
            assertThat(touch.statusCode()).isEqualTo(404);
            assertThat(touch.body()).contains("nothing was changed");
            assertThat(log.snapshot().states().get(PAUSED).paused()).as("another tenant's domain untouched").isFalse();

            HttpResponse<String> own = http("GET", base + "/domains", contoso, null);
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.body()).contains("contoso.com").doesNotContain("fabrikam.com");
            HttpResponse<String> history = http("GET", base + "/domains/contoso.com", contoso, null);
            assertThat(history.statusCode()).isEqualTo(200);
            assertThat(history.body()).contains("StepApplyFailed").contains("RetryRequested").contains("MigrationCompleted");
            assertThat(http("GET", base + "/status", nocToken.token(), null).body()).contains("tenant-fabrikam").contains("tenant-contoso");

            assertThat(http("GET", base + "/dead-letters?service=validation-service", contoso, null).statusCode()).isEqualTo(403);
            HttpResponse<String> letters = http("GET", base + "/dead-letters?service=validation-service", nocToken.token(), null);
            assertThat(letters.statusCode()).as(letters.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(letters.body()).isArray()).isTrue();
            HttpResponse<String> badDryRun = http("POST", base + "/dry-run", contoso, "{\"not\": \"discover's output\"}\n");
            assertThat(badDryRun.statusCode()).isEqualTo(400);
            assertThat(badDryRun.body()).contains("body:1").contains("not a line of discover's output");

            assertThat(http("POST", base + "/actions/rollback", contoso, "{not json").statusCode()).isEqualTo(400);
            HttpResponse<String> nothing = http("POST", base + "/actions/rollback", contoso, "{}");
            assertThat(nothing.statusCode()).isEqualTo(400);
            assertThat(nothing.body()).contains("say which domains");
            HttpResponse<String> rollback = http("POST", base + "/actions/rollback", contoso, "{\"domains\":[\"contoso.com\"],\"reason\":\"api test\"}");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
            assertThat(rollback.body()).contains("\"outcome\" : \"done\"");
            assertThat(settle(Set.of(), Duration.ofSeconds(120)).get(EDITED).status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
            assertThat(liveMx(EDITED)).containsExactly("0 contoso-com.mail.protection.outlook.com.");
            assertThat(log.history(EDITED).stream().filter(e -> e.payload() instanceof dev.mxshift.model.event.RollbackRequested).findFirst()
                    .map(e -> ((dev.mxshift.model.event.RollbackRequested) e.payload()).by())).hasValue("api:contoso-ops");
            assertThat(log.history(EDITED).stream().filter(e -> e.payload() instanceof dev.mxshift.model.event.RollbackRequested).findFirst()
                    .map(EventEnvelope::actor)).hasValue(dev.mxshift.model.event.Actor.api("contoso-ops"));
        }
    }

    @Test
    @Order(9)
    void domainsImportedOnHoldWaitUntilStartedByWaveOrByName() throws Exception {
        Map<Service, Double> requestsRead = new java.util.EnumMap<>(Service.class);
        Map<Service, Double> requestsActedOn = new java.util.EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            requestsRead.put(s, ServiceCounters.consumed(s, 0, "MigrationRequested", null));
            requestsActedOn.put(s, ServiceCounters.consumed(s, 0, "MigrationRequested", "true"));
        }
        // Imported through the API: a tenant's token may not import other tenants' rows; the operations team's may.
        Path tokens = LabRun.repositoryRoot().resolve("services/operator/target/e2e/api-tokens-held");
        dev.mxshift.operator.api.ApiTokens.NewToken tenantToken = dev.mxshift.operator.api.ApiTokens.generate("t3-ops", "tenant-3");
        dev.mxshift.operator.api.ApiTokens.NewToken nocToken = dev.mxshift.operator.api.ApiTokens.generate("noc", "*");
        java.nio.file.Files.writeString(tokens, tenantToken.line() + "\n" + nocToken.line() + "\n");
        String csv = java.nio.file.Files.readString(heldInventory);
        try (OperatorApi api = new OperatorApi(new java.net.InetSocketAddress("127.0.0.1", 0), log, dev.mxshift.operator.api.ApiTokens.read(tokens))) {
            String base = "http://127.0.0.1:" + api.port() + "/api/v1";
            HttpResponse<String> foreign = http("POST", base + "/imports?hold=true", tenantToken.token(), csv, "text/csv");
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            assertThat(foreign.body()).contains("only the hoster").contains("nothing was imported");
            HttpResponse<String> untyped = http("POST", base + "/imports?hold=true", nocToken.token(), csv, "text/plain");
            assertThat(untyped.statusCode()).isEqualTo(400);
            HttpResponse<String> held = http("POST", base + "/imports?hold=true", nocToken.token(), csv, "text/csv");
            assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
            JsonNode report = Json.MAPPER.readTree(held.body());
            assertThat(report.path("imported").asInt()).isEqualTo(4);
            assertThat(report.path("onHold").asBoolean()).isTrue();
            assertThat(report.path("rejected").asInt()).isZero();
        }
        imported = tenants.size();
        await(s -> s.size() == imported, Duration.ofSeconds(60));
        // No pause: every service has read the four requests (an event is counted as acted on, owned, when it is
        // read), so a service that were to act on a domain on hold would have counted it, and its event would follow.
        for (Service s : Service.values()) {
            double before = requestsRead.get(s);
            Awaitility.await(s.module() + " read the requests").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO)
                    .until(() -> ServiceCounters.consumed(s, 0, "MigrationRequested", null) >= before + 4);
            assertThat(ServiceCounters.consumed(s, 0, "MigrationRequested", "true")).as(s.module() + " acted on no request on hold")
                    .isEqualTo(requestsActedOn.get(s));
        }
        Map<DomainName, MigrationState> states = log.snapshot().states();
        for (DomainName d : concat(WAVE_1, WAVE_2)) {
            assertThat(states.get(d).held()).as(d + " on hold").isTrue();
            assertThat(states.get(d).sequence()).as(d + ": nothing happened after the request").isEqualTo(1);
        }
        assertThat(states.get(WAVE_2.get(0)).wave()).isEqualTo("w2");
        OperatorCli status = cli("status", "--held", "--list");
        assertThat(status.out()).contains("4 domain(s)").contains("4 on hold").contains("on hold until started");

        OperatorCli none = cli("start", "--wave", "w9");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no domain matches");
        OperatorCli wave1 = cli("start", "--wave", "w1");
        assertThat(wave1.code()).as(wave1.all()).isZero();
        assertThat(wave1.out()).contains(WAVE_1.get(0).value()).contains(WAVE_1.get(1).value()).doesNotContain(WAVE_2.get(0).value());
        states = settle(Set.of(), Duration.ofSeconds(180));
        for (DomainName d : WAVE_1) {
            assertThat(states.get(d).status()).as(d.value()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(liveMx(d)).isEqualTo(rdata(states.get(d).plan().finalMx().toRecordSet()));
        }
        for (DomainName d : WAVE_2) {
            assertThat(states.get(d).held()).as(d + " still on hold while wave 1 ran").isTrue();
            assertThat(states.get(d).sequence()).isEqualTo(1);
        }
        OperatorCli twice = cli("start", WAVE_1.get(0).value());
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.out()).contains("refused").contains("not on hold");

        OperatorCli rest = cli("start", "--held", "--tenant", "tenant-3");
        assertThat(rest.out()).contains(WAVE_2.get(0).value()).doesNotContain(WAVE_2.get(1).value());
        assertThat(cli("start", WAVE_2.get(1).value()).code()).isZero();
        states = settle(Set.of(), Duration.ofSeconds(180));
        for (DomainName d : WAVE_2) {
            assertThat(states.get(d).status()).as(d.value()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(log.history(d).get(1).type()).isEqualTo("Started");
        }
    }

    private static List<DomainName> concat(List<DomainName> a, List<DomainName> b) {
        List<DomainName> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** BIND's control channel, as the zone's DNS team would use it: {@code rndc freeze|thaw ZONE}. */
    private static void rndc(String command, DomainName zone) throws Exception {
        String conf = null;
        for (JsonNode server : lab.endpoints().path("authoritative")) {
            if (server.path("name").asString().equals("bind")) {
                conf = server.path("rndcConf").asString();
            }
        }
        Process p = new ProcessBuilder("rndc", "-c", conf, command, zone.value()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("rndc " + command + " " + zone + ": " + out).isZero();
    }

    private static HttpResponse<String> http(String method, String url, String token, String body) throws Exception {
        return http(method, url, token, body, "application/json");
    }

    private static HttpResponse<String> http(String method, String url, String token, String body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- helpers

    /** Waits until every domain but {@code held} has settled, confirming Microsoft-side actions as an operator would. */
    private static Map<DomainName, MigrationState> settle(Set<DomainName> held, Duration patience) throws Exception {
        return await(states -> {
            boolean waiting = states.values().stream().anyMatch(s -> Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation);
            if (waiting) {
                OperatorCli confirm = cli("confirm", "--awaiting-confirmation", "--by", "e2e", "--wait", "10");
                assertThat(confirm.code()).as(confirm.all()).isIn(0, 1);
            }
            return states.size() == imported && states.values().stream()
                    .allMatch(s -> held.contains(s.domain()) || WatchCommand.settled(s));
        }, patience);
    }

    private static Map<DomainName, MigrationState> await(Predicate<Map<DomainName, MigrationState>> done, Duration patience) {
        java.util.concurrent.atomic.AtomicReference<Map<DomainName, MigrationState>> states = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        try {
            return Awaitility.await().atMost(patience).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO)
                    .until(() -> {
                        states.set(log.snapshot().states());
                        return states.get();
                    }, done);
        } catch (ConditionTimeoutException e) {
            StringBuilder b = new StringBuilder();
            states.get().values().forEach(s -> b.append('\n').append(s.domain()).append(": ").append(OperatorAction.describe(s)));
            throw new AssertionError("not settled within " + patience.toSeconds() + " s:" + b);
        }
    }

    private static void assertGapFree(DomainName domain) {
        long expected = 1;
        for (EventEnvelope e : log.history(domain)) {
            assertThat(e.sequence()).as(domain + " event " + e.type()).isEqualTo(expected++);
        }
    }

    private static OperatorCli cli(String... args) {
        return OperatorCli.run(EVENTS.name(), STATE.name(), args);
    }

    private static List<String> rdata(RecordSet set) {
        return new ArrayList<>(new TreeSet<>(set.rdata()));
    }

    private static List<String> liveMx(DomainName domain) throws Exception {
        return LabDns.mx(lab, domain);
    }

    private static long liveTtl(DomainName domain) throws Exception {
        return LabDns.mxTtl(lab, domain);
    }

    /** An edit by hand, through PowerDNS's API, as a customer in their control panel. */
    private static void patchMx(DomainName domain, long ttl, String... rdata) throws Exception {
        HttpResponse<String> r = PowerDnsEdit.replace(lab.endpoints().path("powerdnsApi"), domain.value(), domain.value(), "MX", ttl, List.of(rdata));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
}
