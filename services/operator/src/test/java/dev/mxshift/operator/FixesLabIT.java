package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.RecordSet;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixes as plans (issue 29 item 3, decision 0036) on the real broker and lab, with the four services as processes:
 * relaytown.com (the sweep's scenario: two relay aliases of its legacy host, a copied address, SPF pins, a subdomain's MX)
 * is migrated, swept and recorded; its fix plan changes the two aliases only, the rest is for people; an approval of
 * another checksum is refused; the approved steps run as compare-and-set writes after the MX steps, so an alias a customer
 * edited meanwhile stops the domain in conflict with both versions and is never overwritten; once the edit is undone and
 * the domain replayed, both aliases point at the mx.microsoft host, verified on every authoritative server and resolved
 * securely through the lab's validating resolver; a rollback restores the swept aliases and the discovered MX exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixesLabIT {

    private static final DomainName DOMAIN = DomainName.of("relaytown.com");
    private static final String RELAY = "relay.relaytown.com";
    private static final String SMTP = "smtp.relaytown.com";
    private static final String LEGACY = "relaytown-com.mail.protection.outlook.com.";
    private static final String TARGET = "relaytown-com.o-v1.mx.microsoft.";

    private final TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
    private final TopicSpec state = events.named(events.name().replace("events", "state"));
    private LabRun lab;
    private ServiceFleet fleet;
    private EventLog log;
    private Path inventory;

    @BeforeAll
    void up() throws Exception {
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/fixes-lab");
        lab = LabRun.up(dir.resolve("lab"), "--spec", root.resolve("infra/lab/src/main/resources/scenarios/sweep.yaml").toString());
        List<String> rows = Files.readAllLines(lab.inventoryFile());
        List<String> one = new ArrayList<>(List.of(rows.get(0)));
        rows.stream().filter(r -> r.split(",").length > 1 && r.split(",")[1].equals(DOMAIN.value())).forEach(one::add);
        assertThat(one).hasSize(2);
        inventory = Files.write(dir.resolve("relaytown.csv"), one);
        fleet = EndToEnd.fleet(dir, EndToEnd.arguments(lab, dir, events, state));
        log = EndToEnd.eventLog(events, state);
        fleet.startAll(List.of(Service.DISCOVERY, Service.VALIDATION, Service.RECORD_GENERATION, Service.DNS_PUSH), 0, Duration.ofSeconds(240));
    }

    @AfterAll
    void down() throws Exception {
        Closing.closeAll(log, fleet, lab);
    }

    @Test
    void anApprovedFixRunsAsCompareAndSetIsVerifiedRefusesAnEditAndRollsBackExactly() throws Exception {
        ImportCommand.Result imported = ImportCommand.importFiles(List.of(inventory), KafkaTestBroker.bootstrapServers(), events.name(), "fixes-it");
        assertThat(imported.imported()).as("%s", imported).isEqualTo(1);
        MigrationState migrated = settle(s -> s.status() == WorkflowStatus.COMPLETED, Duration.ofSeconds(300));
        RecordSet discoveredMx = migrated.discoveredMx().toRecordSet();
        int mxSteps = migrated.plan().steps().size();
        assertThat(cname(RELAY)).containsExactly(LEGACY);

        OperatorCli swept = cli("sweep", "--endpoints", lab.endpointsFile().toString(), "--zone", DOMAIN.value(), "--record");
        assertThat(swept.code()).as(swept.all()).isEqualTo(1);
        assertThat(log.snapshot().states().get(DOMAIN).legacyReferences()).hasSize(6);

        // The fix plan: the two aliases of the domain's own legacy host; the other four are for people, with why.
        OperatorCli shown = cli("fixes", DOMAIN.value());
        System.out.println("FixesLabIT: ./mxshift fixes relaytown.com\n" + shown.out());
        assertThat(shown.code()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("relaytown.com (tenant-relaytown), COMPLETED: 2 fix steps, checksum ")
                .contains("  1 FIX_LEGACY_REFERENCE relay.relaytown.com 3600 CNAME [" + LEGACY + "] -> relay.relaytown.com 3600 CNAME [" + TARGET + "]")
                .contains("  for people: mail.relaytown.com 3600 A ")
                .contains("      not automatic: an SPF record is the domain's sending policy")
                .contains("  for people: sales.relaytown.com 3600 MX 10 sales-relaytown-com.mail.protection.outlook.com. (OTHER_MX, certain)");
        JsonNode plan = JsonMapper.builder().build().readTree(cli("fixes", DOMAIN.value(), "--json").out()).get(0);
        String checksum = plan.path("checksum").asString();
        assertThat(plan.path("steps")).hasSize(2);
        assertThat(plan.path("forPeople")).hasSize(4);

        OperatorCli wrong = cli("fixes", DOMAIN.value(), "--approve", "0".repeat(64));
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.out()).contains("refused").contains("its fix plan has checksum " + checksum);
        assertThat(log.snapshot().states().get(DOMAIN).status()).isEqualTo(WorkflowStatus.COMPLETED);

        // A customer edits the smtp alias after the sweep: the approved plan expects what the sweep saw.
        patchCname(SMTP, 3600, "smtp-gateway.example.net.");
        OperatorCli approved = cli("fixes", DOMAIN.value(), "--approve", checksum, "--wait", "30");
        System.out.println("FixesLabIT: ./mxshift fixes relaytown.com --approve " + checksum + "\n" + approved.out());
        assertThat(approved.code()).as(approved.all()).isZero();
        MigrationState conflict = settle(s -> s.status() == WorkflowStatus.CONFLICT, Duration.ofSeconds(120));
        assertThat(conflict.stepIndex()).as("the relay fix ran, the smtp fix stopped").isEqualTo(mxSteps + 1);
        assertThat(conflict.failure().expected()).isEqualTo(new RecordSet(SMTP, "CNAME", 3600, List.of(LEGACY)));
        assertThat(conflict.failure().actual().rdata()).containsExactly("smtp-gateway.example.net.");
        assertThat(cname(SMTP)).as("never overwritten").containsExactly("smtp-gateway.example.net.");
        assertThat(cname(RELAY)).containsExactly(TARGET);

        // The customer's edit undone, the domain replayed: both aliases at the mx.microsoft host, verified from outside.
        patchCname(SMTP, 3600, LEGACY);
        OperatorCli replay = cli("replay", DOMAIN.value(), "--wait", "30");
        assertThat(replay.code()).as(replay.all()).isZero();
        MigrationState fixed = settle(s -> s.status() == WorkflowStatus.COMPLETED, Duration.ofSeconds(120));
        assertThat(fixed.plan().steps()).hasSize(mxSteps + 2);
        assertThat(cname(RELAY)).containsExactly(TARGET);
        assertThat(cname(SMTP)).containsExactly(TARGET);
        Message secure = throughValidatingResolver(RELAY);
        assertThat(secure.getHeader().getFlag(Flags.AD)).as("resolved securely through Unbound: " + secure).isTrue();
        assertThat(secure.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.CNAME).map(Record::rdataToString))
                .containsExactly(TARGET);
        System.out.println("FixesLabIT: ./mxshift history relaytown.com\n" + history());
        assertThat(history()).contains("FixesApproved").contains("[asked by " + System.getProperty("user.name") + " (CLI)]");
        assertThat(dev.mxshift.model.workflow.LegacyFixes.planFor(fixed).steps()).as("an applied fix is not offered again").isEmpty();

        // Rolled back: the fixes first, then the MX, each a compare-and-set; the swept records come back exactly.
        OperatorCli rollback = cli("rollback", DOMAIN.value(), "--reason", "fixes test", "--wait", "30");
        assertThat(rollback.code()).as(rollback.all()).isZero();
        MigrationState rolledBack = settle(s -> s.status() == WorkflowStatus.ROLLED_BACK, Duration.ofSeconds(300));
        System.out.println("FixesLabIT: ./mxshift status relaytown.com\n" + cli("status", DOMAIN.value()).out());
        assertThat(rolledBack.rollbackSteps().get(0).describe()).startsWith("ROLLBACK " + SMTP + " 3600 CNAME [" + TARGET + "]");
        assertThat(cname(RELAY)).containsExactly(LEGACY);
        assertThat(cname(SMTP)).containsExactly(LEGACY);
        assertThat(ttl(RELAY)).isEqualTo(3600);
        assertThat(LabDns.mx(lab, DOMAIN)).containsExactlyElementsOf(discoveredMx.rdata());
    }

    /** Waits for the domain to reach {@code done}, confirming the Microsoft-side actions on the way as an operator would. */
    private MigrationState settle(Predicate<MigrationState> done, Duration patience) {
        return Awaitility.await().atMost(patience).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).until(() -> {
            MigrationState s = log.snapshot().states().get(DOMAIN);
            if (s != null && Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation) {
                cli("confirm", DOMAIN.value(), "--by", "fixes-it", "--wait", "10");
            }
            return s;
        }, s -> s != null && done.test(s));
    }

    private String history() {
        return cli("history", DOMAIN.value()).out();
    }

    private List<String> cname(String owner) throws Exception {
        return LabDns.query(lab, owner, Type.CNAME).stream().map(Record::rdataToString).toList();
    }

    private long ttl(String owner) throws Exception {
        return LabDns.query(lab, owner, Type.CNAME).get(0).getTTL();
    }

    private Message throughValidatingResolver(String owner) throws Exception {
        SimpleResolver unbound = new SimpleResolver(lab.endpoints().path("resolver").path("address").asString());
        unbound.setPort(lab.endpoints().path("resolver").path("port").asInt());
        Message query = Message.newQuery(Record.newRecord(Name.fromString(owner + "."), Type.CNAME, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        return unbound.send(query);
    }

    /** An edit by hand through PowerDNS's API, as a customer in their control panel. */
    private void patchCname(String owner, long ttl, String target) throws Exception {
        HttpResponse<String> r = PowerDnsEdit.replace(lab.endpoints().path("powerdnsApi"), DOMAIN.value(), owner, "CNAME", ttl, List.of(target));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    private OperatorCli cli(String... args) {
        return OperatorCli.run(events.name(), state.name(), args);
    }
}
