package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.BogusMonitor;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DNSSEC stage end to end, as an operator runs it: the four services on a real broker and the lab (PowerDNS
 * signing, BIND signing its own zones by its dnssec-policy and as a secondary transferring PowerDNS's, the .ch registry
 * scanning CDS, .com taking DS only by hand, Unbound validating). Unsigned
 * zones under the {@code sign} policy are signed, verified on every server, chained through the registry's CDS scanner,
 * seen SECURE, and only then migrated (one under .net chained by EPP to the lab registry); a zone signed without a DS is
 * chained, not re-signed; zones that cannot be
 * signed safely are blocked with the reason; a manual DS typo is caught at once with the right DS; an unsign rolls the
 * stage back in invariant 6's order. A bogus monitor asks Unbound for every zone in the stage once a second throughout.
 * The lab hoster's signed zone lab-dns.net carries RFC 9615 signals for the .ch zones while the registry needs them, so
 * .ch takes the DS of the PowerDNS zones after one scan instead of its three observations, and the signals are gone
 * once it has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnssecEndToEndIT {

    /** Unsigned at PowerDNS under .ch (CDS). */
    private static final DomainName SIGNED_BY_CDS = DomainName.of("alpenhof.ch");
    /** Unsigned at PowerDNS with a BIND secondary, under .ch. */
    private static final DomainName WITH_SECONDARY = DomainName.of("seeblick.ch");
    /** Signed at PowerDNS, no DS at .ch: chained, never re-signed. */
    private static final DomainName CHAINED_ONLY = DomainName.of("gletscher.ch");
    /** Unsigned at BIND under .ch (CDS): the bind connector gives it named's dnssec-policy, named signs it and publishes CDS. */
    private static final DomainName SIGNED_AT_BIND = DomainName.of("bergbahn.ch");
    /** Its delegation also names a server no connector controls. */
    private static final DomainName FOREIGN_NS = DomainName.of("zweitanbieter.ch");
    /** Unsigned at PowerDNS under .com, whose registry takes DS only by hand. */
    private static final DomainName MANUAL = DomainName.of("handarbeit.com");
    /** Unsigned at PowerDNS under .net, whose DS path is epp here: mxshift speaks EPP to the lab registry. */
    private static final DomainName BY_EPP = DomainName.of("northwind.net");
    private static final List<DomainName> ALL = List.of(SIGNED_BY_CDS, SIGNED_AT_BIND, WITH_SECONDARY, CHAINED_ONLY, FOREIGN_NS, MANUAL, BY_EPP);
    /** Zones whose DNS must never fail for a validating resolver while the stage runs (the manual one fails by the typo). */
    private static final List<DomainName> WATCHED = List.of(SIGNED_BY_CDS, SIGNED_AT_BIND, WITH_SECONDARY, CHAINED_ONLY, BY_EPP);
    /** Signed by mxshift, then unsigned by {@code rollback --unsign}: at PowerDNS and at BIND, and the DS withdrawn by EPP. */
    private static final List<DomainName> UNSIGNED_AGAIN = List.of(SIGNED_BY_CDS, SIGNED_AT_BIND, BY_EPP);

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = EVENTS.named(EVENTS.name().replace("events", "state"));

    private static LabRun lab;
    private static ServiceFleet fleet;
    private static EventLog log;
    private static BogusMonitor monitor;

    @BeforeAll
    static void systemUp() throws Exception {
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/e2e-dnssec");
        lab = LabRun.up(dir.resolve("lab"));
        List<String> rows = Files.readAllLines(lab.inventoryFile());
        List<String> inventory = new ArrayList<>(List.of(rows.get(0) + ",unsigned_zone"));
        for (String row : rows.subList(1, rows.size())) {
            if (!row.isBlank() && ALL.contains(DomainName.of(row.split(",")[1]))) {
                inventory.add(row + ",sign");
            }
        }
        assertThat(inventory).hasSize(ALL.size() + 1);
        Files.createDirectories(dir);
        Files.write(dir.resolve("dnssec.csv"), inventory);
        Map<Service, List<String>> arguments = EndToEnd.arguments(lab, dir, EVENTS, STATE);
        // .net takes the epp path here (the lab's registry of .net also takes DS by hand, which the manual test uses at .com)
        assertThat(arguments.get(Service.VALIDATION).remove("--mxshift.validation.signing.parents.net=manual")).isTrue();
        arguments.get(Service.VALIDATION).add("--mxshift.validation.signing.parents.net=epp");
        fleet = EndToEnd.fleet(dir, arguments);
        log = EndToEnd.eventLog(EVENTS, STATE);
        fleet.startAll(List.of(Service.values()), 0, Duration.ofSeconds(180));
        JsonNode resolver = lab.endpoints().path("resolver");
        // It watches each zone from when the DNSSEC stage starts for it (its plan exists), not before: asking a resolver
        // for a zone's MX before discovery would hand discovery a cached answer with a shortened TTL.
        monitor = new BogusMonitor(resolver.path("address").asString(), resolver.path("port").asInt(),
                () -> log.snapshot().states().values().stream().filter(s -> WATCHED.contains(s.domain()) && s.plan() != null)
                        .map(s -> s.domain().value()).toList(), Duration.ofMinutes(15)).start();
    }

    @AfterAll
    static void systemDown() throws Exception {
        Closing.closeAll(monitor, fleet, lab);
    }

    @Test
    @Order(1)
    void unsignedZonesAreSignedChainedThroughTheRegistryAndMigratedAndTheUnsignableAreBlockedWithTheirReason() throws Exception {
        ImportCommand.Result result = ImportCommand.importFiles(List.of(Path.of(LabRun.repositoryRoot().resolve(
                "services/operator/target/e2e-dnssec/dnssec.csv").toString())), KafkaTestBroker.bootstrapServers(), EVENTS.name(), "e2e");
        assertThat(result.rejected()).isZero();
        assertThat(result.imported()).isEqualTo(ALL.size());

        Map<DomainName, MigrationState> states = await(s -> s.size() == ALL.size() && s.values().stream().allMatch(d ->
                WatchCommand.settled(d) || d.domain().equals(MANUAL) && Workflow.next(d) instanceof NextAction.AwaitExternalConfirmation a
                        && a.action() == ExternalAction.SUBMIT_DS_AT_REGISTRAR), Duration.ofMinutes(6));

        for (DomainName done : List.of(SIGNED_BY_CDS, SIGNED_AT_BIND, WITH_SECONDARY, CHAINED_ONLY, BY_EPP)) {
            MigrationState s = states.get(done);
            assertThat(s.status()).as(done + ": " + OperatorAction.describe(s) + " " + StatusCommand.detail(s)
                    + (s.failure() == null ? "" : " " + s.failure().reason())).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(s.dnssec().ds()).isEqualTo(DsStatus.CHAINED);
            assertThat(secure(done)).as(done + " validates SECURE at Unbound").isTrue();
            assertThat(StatusCommand.detail(s)).doesNotContain("not DANE-protected");
            assertOrder(done);
        }
        for (DomainName signedHere : UNSIGNED_AGAIN) {
            assertThat(states.get(signedHere).plan().steps().get(0)).isInstanceOf(PlanStep.SignZone.class);
            assertThat(states.get(signedHere).dnssec().signedByMxshift()).isTrue();
        }
        assertThat(states.get(SIGNED_AT_BIND).provider().connectorId()).isEqualTo("lab-bind");
        // chained by EPP: the lab registry's log has the update that set exactly the verified DS
        assertThat(states.get(BY_EPP).plan().steps()).anyMatch(s -> s instanceof PlanStep.PublishDs p && p.path() == dev.mxshift.model.dnssec.ParentPath.EPP);
        assertThat(Files.readString(Path.of(lab.endpoints().path("epp").path("log").asString())))
                .contains("update northwind.net: DS now " + states.get(BY_EPP).dnssec().keys().ds());
        assertThat(answer(SIGNED_AT_BIND, Type.DNSKEY)).as("BIND serves the key named made").isNotEmpty();
        // a zone its provider had signed is chained as it is: no new key
        assertThat(states.get(CHAINED_ONLY).plan().steps().get(0)).isInstanceOf(PlanStep.VerifyZoneSigned.class);
        assertThat(states.get(CHAINED_ONLY).dnssec().signedByMxshift()).isFalse();

        // RFC 9615: the hoster vouched for each .ch zone's CDS under each of its name servers, .ch took the DS after one
        // scan on the strength of it, and the signals were removed once it had (RFC 9615 section 5.1).
        String registryLog = Files.readString(Path.of(lab.endpoints().path("registries").path("ch").path("scannerLog").asString()));
        for (DomainName zone : List.of(SIGNED_BY_CDS, SIGNED_AT_BIND, WITH_SECONDARY, CHAINED_ONLY)) {
            List<String> hosts = zone.equals(WITH_SECONDARY) ? List.of("ns1.lab-dns.net", "bind.lab-dns.net")
                    : List.of(zone.equals(SIGNED_AT_BIND) ? "bind.lab-dns.net" : "ns1.lab-dns.net");
            String evidence = log.history(zone).stream().filter(e -> e.payload() instanceof dev.mxshift.model.event.StepApplied
                            && e.state().activeSteps().get(e.state().stepIndex()) instanceof PlanStep.PublishDs)
                    .map(e -> ((dev.mxshift.model.event.StepApplied) e.payload()).evidence()).findFirst().orElse("");
            for (String host : hosts) {
                String signal = "_dsboot." + zone.value() + "._signal." + host;
                assertThat(evidence).as(zone + "'s DS submission").contains(signal + " (lab-powerdns)");
                assertThat(answerAt("powerdns", signal, Type.CDS)).as(signal + " after the DS was published").isEmpty();
                assertThat(answerAt("powerdns", signal, Type.CDNSKEY)).as(signal + " after the DS was published").isEmpty();
            }
            if (!hosts.equals(List.of("ns1.lab-dns.net"))) {
                // named publishes bergbahn.ch's CDS by itself once its key is in every cache, before mxshift's DS step
                // writes the signals: .ch may count its observations first, and its resolver's proof that nothing exists
                // under bind.lab-dns.net then (NSEC, held up to 3 s) may hide seeblick.ch's new signal for a scan or two.
                continue;
            }
            List<String> lines = registryLog.lines().filter(l -> l.contains("child=" + zone.value() + ".")).toList();
            assertThat(lines).as(zone + " at the .ch registry").anySatisfy(l -> assertThat(l).contains("published DS", "(authenticated bootstrap, RFC 9615"));
            assertThat(lines).noneMatch(l -> l.contains("consistent observations"));
        }

        assertThat(states.get(FOREIGN_NS).status()).isEqualTo(WorkflowStatus.BLOCKED);
        assertThat(states.get(FOREIGN_NS).blockReasons()).anyMatch(f -> f.message().contains("ns1.other-provider.net"));

        OperatorCli status = cli("status", "--list", MANUAL.value());
        assertThat(status.out()).contains("handarbeit.com");
        BogusMonitor.Report report = monitor.report();
        assertThat(report.servfails()).as("SERVFAILs while signing and chaining: %s", report.servfailsPerZone()).isZero();
        assertThat(report.queries()).isPositive();
    }

    @Test
    @Order(2)
    void aManualDsWithATypoIsCaughtAtOnceWithTheRightDsAndTheCorrectedOneChainsTheZone() throws Exception {
        MigrationState waiting = log.snapshot().states().get(MANUAL);
        List<String> ds = waiting.dnssec().keys().ds();
        String instructions = lastInstructions(MANUAL);
        ds.forEach(d -> assertThat(instructions).contains("handarbeit.com. IN DS " + d));

        // the person types the digest wrong at the registrar, then confirms
        String typo = ds.get(0).substring(0, ds.get(0).length() - 4) + "ABCD";
        publishDs(MANUAL, List.of(typo));
        OperatorCli confirm = cli("confirm", MANUAL.value(), "--by", "registrar-desk");
        assertThat(confirm.code()).as(confirm.all()).isZero();
        MigrationState failed = await(s -> s.get(MANUAL).status() == WorkflowStatus.FAILED, Duration.ofSeconds(90)).get(MANUAL);
        assertThat(failed.failure().reason()).contains("BOGUS").contains(ds.get(0));

        // corrected at the registrar, then replayed: checked again, chained, migrated
        publishDs(MANUAL, ds);
        OperatorCli replay = cli("replay", MANUAL.value());
        assertThat(replay.code()).as(replay.all()).isZero();
        long replayed = log.snapshot().states().get(MANUAL).sequence();
        MigrationState done = await(s -> s.get(MANUAL).sequence() > replayed && WatchCommand.settled(s.get(MANUAL)), Duration.ofMinutes(4)).get(MANUAL);
        assertThat(done.status()).as(OperatorAction.describe(done) + (done.failure() == null ? "" : ": " + done.failure().reason()))
                .isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(done.dnssec().ds()).isEqualTo(DsStatus.CHAINED);
        BogusMonitor.Report report = monitor.report();
        assertThat(report.servfails()).as("SERVFAILs while signing, chaining and migrating: %s", report.servfailsPerZone()).isZero();
    }

    @Test
    @Order(3)
    void anUnsignWithdrawsTheDsWaitsOutTheCachesAndOnlyThenStopsSigning() throws Exception {
        for (DomainName zone : UNSIGNED_AGAIN) {
            OperatorCli rollback = cli("rollback", zone.value(), "--unsign", "--reason", "customer leaves");
            assertThat(rollback.code()).as(rollback.all()).isZero();
        }
        Map<DomainName, MigrationState> states = await(s -> UNSIGNED_AGAIN.stream().allMatch(z -> WatchCommand.settled(s.get(z))), Duration.ofMinutes(4));
        Map<String, java.time.Instant> unsignedAt = new java.util.HashMap<>();
        for (DomainName zone : UNSIGNED_AGAIN) {
            MigrationState back = states.get(zone);
            assertThat(back.status()).as(zone + ": " + OperatorAction.describe(back)).isEqualTo(WorkflowStatus.ROLLED_BACK);
            assertThat(back.dnssec().keys()).isNull();
            assertThat(answer(zone, Type.DNSKEY)).as(zone + " serves no DNSKEY").isEmpty();
            assertThat(answer(zone, Type.CDS)).as(zone + " serves no CDS").isEmpty();
            List<String> types = log.history(zone).stream().map(EventEnvelope::type).toList();
            assertThat(types).contains("RollbackRequested");
            // invariant 6's order in the history itself: DS gone (verified), the wait, and only then the unsigning
            List<EventEnvelope> rollbackEvents = log.history(zone).stream()
                    .filter(e -> e.state().direction() == dev.mxshift.model.event.Direction.ROLLBACK).toList();
            int dsGone = indexOf(rollbackEvents, e -> e.state().dnssec() != null && e.state().dnssec().ds() == DsStatus.GONE);
            int waited = indexOf(rollbackEvents, e -> e.type().equals("WaitElapsed"));
            int unsigned = indexOf(rollbackEvents, e -> e.type().equals("StepApplied")
                    && e.state().activeSteps().get(e.state().stepIndex()) instanceof PlanStep.UnsignZone);
            assertThat(dsGone).as(zone + ": DS gone").isNotNegative().isLessThan(waited);
            assertThat(waited).as(zone + ": waited").isLessThan(unsigned);
            unsignedAt.put(zone.value(), rollbackEvents.get(unsigned).occurredAt());
        }
        BogusMonitor.Report report = monitor.stop();
        // Nothing went bogus before signing stopped: the DS was gone from every parent server and out of every cache that
        // held it (its TTL, 2 s here) first. After the keys are gone, the lab's Unbound may still answer SERVFAIL for a
        // while: it keeps the zone's validated DNSKEY for its TTL (PowerDNS's real 3,600 s, BIND's lab policy's 2 s) and
        // the DS for its 2 s, while the lab compresses the wait before unsigning 1000 times; in production the wait (DS
        // TTL plus the largest signature TTL, the DNSKEY's among them) outlasts those caches. So any SERVFAIL must come
        // after the unsigning, and only for an unsigned zone.
        assertThat(unsignedAt.keySet()).containsAll(report.servfailsPerZone().keySet());
        report.firstFailurePerZone().values().forEach(f -> assertThat(f.at()).as("first SERVFAIL of " + f.zone() + " (" + f.extendedError()
                + ") against its unsigning at " + unsignedAt.get(f.zone())).isAfterOrEqualTo(unsignedAt.get(f.zone()).minusMillis(500)));
        System.out.println("bogus monitor over the DNSSEC end-to-end run: " + report);
    }

    // --- helpers

    private static int indexOf(List<EventEnvelope> events, Predicate<EventEnvelope> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Signed, verified and chained before the MX moved: the first MX write comes after the DS was seen at the parent. */
    private static void assertOrder(DomainName domain) {
        List<EventEnvelope> history = log.history(domain);
        long expected = 1;
        int chained = -1;
        int firstMxWrite = -1;
        for (int i = 0; i < history.size(); i++) {
            EventEnvelope e = history.get(i);
            assertThat(e.sequence()).isEqualTo(expected++);
            if (chained < 0 && e.state().dnssec() != null && e.state().dnssec().ds() == DsStatus.CHAINED) {
                chained = i;
            }
            if (firstMxWrite < 0 && e.type().equals("StepApplied") && e.state().plan() != null
                    && e.state().plan().steps().get(e.state().stepIndex()) instanceof PlanStep.ChangeMx) {
                firstMxWrite = i;
            }
        }
        assertThat(chained).as(domain + " chained").isNotNegative();
        assertThat(firstMxWrite).as(domain + ": the MX moves only after the zone is chained").isGreaterThan(chained);
    }

    private static String lastInstructions(DomainName domain) {
        String text = null;
        for (EventEnvelope e : log.history(domain)) {
            if (e.payload() instanceof dev.mxshift.model.event.AwaitingExternalAction a) {
                text = a.instructions();
            }
        }
        return text;
    }

    /** What a person at the registrar does: the registry publishes the DS set it was given in its zone. */
    private static void publishDs(DomainName domain, List<String> ds) throws Exception {
        String parent = domain.value().substring(domain.value().indexOf('.') + 1);
        HttpResponse<String> r = PowerDnsEdit.replace(lab.endpoints().path("registryApi"), parent, domain.value(), "DS", 2, ds);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /** Unbound's word, now: the AD bit on the proof that a name never asked before does not exist in the zone. */
    private static boolean secure(DomainName zone) throws Exception {
        JsonNode resolver = lab.endpoints().path("resolver");
        SimpleResolver unbound = new SimpleResolver(resolver.path("address").asString());
        unbound.setPort(resolver.path("port").asInt());
        Message query = Message.newQuery(Record.newRecord(Name.fromString("_e2e-" + System.nanoTime() + "." + zone.value() + "."),
                Type.TXT, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        unbound.setEDNS(0, 0, Flags.DO);
        return unbound.send(query).getHeader().getFlag(Flags.AD);
    }

    /** What the zone's primary (PowerDNS, or BIND for BIND's own zones) serves, asked directly over TCP. */
    private static List<Record> answer(DomainName zone, int type) throws Exception {
        return answerAt(zone.equals(SIGNED_AT_BIND) ? "bind" : "powerdns", zone.value(), type);
    }

    private static List<Record> answerAt(String primary, String name, int type) throws Exception {
        JsonNode server = null;
        for (JsonNode s : lab.endpoints().path("authoritative")) {
            if (s.path("name").asString().equals(primary)) {
                server = s;
            }
        }
        SimpleResolver direct = new SimpleResolver(server.path("address").asString());
        direct.setPort(server.path("port").asInt());
        direct.setTCP(true);
        return direct.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)))
                .getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    /** Waits for the condition, confirming the Microsoft-side actions (not the DS) as an operator would. */
    private static Map<DomainName, MigrationState> await(Predicate<Map<DomainName, MigrationState>> done, Duration patience) {
        java.util.concurrent.atomic.AtomicReference<Map<DomainName, MigrationState>> states = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        try {
            return Awaitility.await().atMost(patience).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).until(() -> {
                Map<DomainName, MigrationState> now = log.snapshot().states();
                for (MigrationState s : now.values()) {
                    if (Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation a && a.action() != ExternalAction.SUBMIT_DS_AT_REGISTRAR
                            && a.action() != ExternalAction.REMOVE_DS_AT_REGISTRAR) {
                        cli("confirm", s.domain().value(), "--by", "e2e", "--wait", "10");
                    }
                }
                states.set(now);
                return now;
            }, done);
        } catch (ConditionTimeoutException e) {
            StringBuilder b = new StringBuilder();
            states.get().values().forEach(s -> b.append('\n').append(s.domain()).append(": ").append(OperatorAction.describe(s))
                    .append(s.failure() == null ? "" : " (" + s.failure().reason() + ")")
                    .append(s.blockReasons().isEmpty() ? "" : " " + s.blockReasons()));
            throw new AssertionError("not settled within " + patience.toSeconds() + " s:" + b);
        }
    }

    private static OperatorCli cli(String... args) {
        return OperatorCli.run(EVENTS.name(), STATE.name(), args);
    }
}
