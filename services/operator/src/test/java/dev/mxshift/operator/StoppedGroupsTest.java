package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stopped domains grouped by reason code, and watch's report with them: the 1,025-domain demo's report on one screen,
 * and {@code --list} still a line per stopped domain.
 */
class StoppedGroupsTest {

    private static final Finding INSECURE = new Finding("ZONE_INSECURE", "the zone is not DNSSEC-secure (NO_DS: no DS at the parent)",
            "enable DNSSEC at the DNS provider and publish the DS at the registrar");
    private static final Finding BOGUS = new Finding("ZONE_BOGUS", "the zone's DNSSEC is broken", "repair the zone's signing or its DS first");
    private static final Finding TRUST = new Finding("ZONE_INDETERMINATE", "no trust anchor covers the zone", "check the validator's trust anchor");

    private static MigrationState blocked(String name, Finding... findings) {
        DomainHistory history = DomainHistory.of(DomainName.of(name));
        history.add(CooperativeWorld.request(history.state().domain()));
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(new PreflightBlocked(List.of(findings)));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.BLOCKED);
        return history.state();
    }

    /** Discovered as not eligible, then blocked with NOT_ELIGIBLE and the findings that follow from what discovery saw. */
    private static MigrationState notEligible(String name, DiscoverySnapshot snapshot, Finding... alsoFound) {
        DomainHistory history = DomainHistory.of(DomainName.of(name));
        history.add(CooperativeWorld.request(history.state().domain()));
        history.add(new Discovered(snapshot));
        List<Finding> findings = new ArrayList<>(List.of(new Finding("NOT_ELIGIBLE", "discovery classified the domain " + snapshot.classification(),
                "only a domain whose MX is Exchange Online's legacy target is migrated; see the discovery reason")));
        findings.addAll(List.of(alsoFound));
        history.add(new PreflightBlocked(findings));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.BLOCKED);
        return history.state();
    }

    private static MigrationState undiscoverable(String name) {
        DomainHistory history = DomainHistory.of(DomainName.of(name));
        history.add(CooperativeWorld.request(history.state().domain()));
        history.add(new DiscoveryFailed(FailureKind.PERMANENT, name + " does not exist in DNS (NXDOMAIN)"));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.DISCOVERY_FAILED);
        return history.state();
    }

    private static MigrationState completed(String name) {
        return CooperativeWorld.migrated(DomainName.of(name)).state();
    }

    @Test
    void domainsStoppedForTheSameReasonAreOneGroupWithItsCountActionFirstDomainsAndListCommand() {
        List<MigrationState> states = List.of(blocked("c.example", INSECURE), blocked("a.example", INSECURE), blocked("d.example", INSECURE),
                blocked("b.example", INSECURE), blocked("bogus.example", BOGUS), undiscoverable("gone.example"), completed("done.example"));

        List<StoppedGroups.Group> groups = StoppedGroups.of(states);

        assertThat(groups).extracting(StoppedGroups.Group::reason).containsExactly("ZONE_INSECURE", "DISCOVERY_PERMANENT", "ZONE_BOGUS");
        StoppedGroups.Group insecure = groups.get(0);
        assertThat(insecure.count()).isEqualTo(4);
        assertThat(insecure.status()).isEqualTo("BLOCKED");
        assertThat(insecure.first()).containsExactly("a.example", "b.example", "c.example");
        assertThat(insecure.action()).startsWith("sign the zones").endsWith("./mxshift replay --status BLOCKED --failed-because ZONE_INSECURE");
        assertThat(insecure.listCommand()).isEqualTo("./mxshift status --status BLOCKED --failed-because ZONE_INSECURE --list");
        // a code without its own group action: the finding's own action, then the command that resumes the group
        assertThat(groups.get(2).action()).isEqualTo("repair the zone's signing or its DS first, then ./mxshift replay --status BLOCKED"
                + " --failed-because ZONE_BOGUS");
        assertThat(groups.get(1).action()).endsWith("then ./mxshift replay --status DISCOVERY_FAILED --failed-because DISCOVERY_PERMANENT");
    }

    @Test
    void aDomainBlockedForTwoReasonsIsInTheGroupOfThePairWithBothActions() {
        Finding unknown = new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain -DomainName x.example and import its DnssecMxValue");
        List<StoppedGroups.Group> groups = StoppedGroups.of(List.of(blocked("x.example", unknown, INSECURE)));

        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.reason()).isEqualTo("TARGET_UNKNOWN+ZONE_INSECURE");
            assertThat(g.action()).contains("Enable-DnssecForVerifiedDomain").contains("import the CSV")
                    .contains("then ./mxshift replay --status BLOCKED --failed-because TARGET_UNKNOWN").contains("sign the zones")
                    .doesNotContain("x.example");
            assertThat(g.listCommand()).contains("--failed-because TARGET_UNKNOWN --list");
        });
    }

    /**
     * A domain discovery found not eligible lacks a target and may have more than one MX, yet neither Microsoft's enablement
     * nor removing an MX is its group's action: it is NOT_ELIGIBLE alone, the action says mxshift leaves it and counts the
     * classifications, the console groups it the same, and the Microsoft page does not ask Microsoft about it.
     */
    @Test
    void notEligibleDomainsAreOneReportOnlyGroupNeverAskedOfMicrosoft() {
        Finding unknown = new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain -DomainName x.example and import its DnssecMxValue");
        Finding notSingle = new Finding("LEGACY_MX_NOT_SINGLE", "the domain has 2 MX records", "remove the other MX records first");
        DomainName gateway = DomainName.of("gw.filter.example");
        MigrationState noMx = notEligible("nomail.example", new DiscoverySnapshot(MxClassification.NO_MX, "no MX", null, List.of(), List.of(),
                false, false), unknown);
        MigrationState behindGateway = notEligible("gateway.example", new DiscoverySnapshot(MxClassification.THIRD_PARTY_GATEWAY, "gateway",
                MxRecordSet.of(DomainName.of("gateway.example"), 3600, new MxRecord(10, gateway)), List.of(), List.of(), true, true), notSingle);
        MigrationState noMx2 = notEligible("nomail-2.example", new DiscoverySnapshot(MxClassification.NO_MX, "no MX", null, List.of(),
                List.of(), false, false), unknown, notSingle);
        MigrationState waiting = blocked("unknown.example", unknown);
        List<MigrationState> states = List.of(noMx, behindGateway, noMx2, waiting);

        List<StoppedGroups.Group> groups = StoppedGroups.of(states);

        assertThat(groups).extracting(StoppedGroups.Group::reason).containsExactly("NOT_ELIGIBLE", "TARGET_UNKNOWN");
        assertThat(groups.get(0).count()).isEqualTo(3);
        assertThat(groups.get(0).action()).startsWith(StoppedGroups.NONE).contains("NO_MX 2, THIRD_PARTY_GATEWAY 1")
                .doesNotContain("Enable-DnssecForVerifiedDomain").doesNotContain("remove the other MX");
        Map<String, Integer> console = new LinkedHashMap<>();
        dev.mxshift.operator.console.ReasonGroups.of(states).forEach(g -> console.put(g.reason(), g.count()));
        assertThat(console).containsExactly(Map.entry("NOT_ELIGIBLE", 3), Map.entry("TARGET_UNKNOWN", 1));
        assertThat(dev.mxshift.operator.console.MicrosoftRoundTrip.waitingForTarget(states)).containsExactly(DomainName.of("unknown.example"));
    }

    /** The MTA-STS finding's own action is one domain's policy text: the group's action names none of its domains. */
    @Test
    void theMtaStsGroupsActionNamesNoSingleDomainsPolicy() {
        Finding sts = new Finding("MTA_STS_NOT_COVERING", "the policy does not cover the new host",
                "publish at https://mta-sts.a.example/.well-known/mta-sts.txt:\nversion: STSv1\nmode: enforce");
        List<StoppedGroups.Group> groups = StoppedGroups.of(List.of(blocked("a.example", sts), blocked("b.example", sts)));

        assertThat(groups).singleElement().satisfies(g -> assertThat(g.action()).startsWith("publish each domain's MTA-STS policy")
                .doesNotContain("a.example").doesNotContain("\n")
                .endsWith("then ./mxshift replay --status BLOCKED --failed-because MTA_STS_NOT_COVERING"));
    }

    /** A finding whose own action ends in "then retry" is followed by the group's replay once, not "then retry, then replay". */
    @Test
    void aFindingsClosingRetryIsTheGroupsReplay() {
        Finding dane = new Finding("TARGET_DANE_FAILED", "the target host does not pass DANE", "wait for Microsoft to publish the host"
                + " and its TLSA (15-30 minutes after enabling), check that the DnssecMxValue is right, then retry");
        assertThat(StoppedGroups.of(List.of(blocked("a.example", dane)))).singleElement().satisfies(g -> assertThat(g.action())
                .isEqualTo("wait for Microsoft to publish the host and its TLSA (15-30 minutes after enabling), check that the DnssecMxValue"
                        + " is right, then ./mxshift replay --status BLOCKED --failed-because TARGET_DANE_FAILED"));
    }

    /**
     * The command line and the console group by one reason code: the same domains (a doubly-blocked one included) give the
     * same groups with the same counts, and the same fix, worded with the command on one side and the button on the other.
     */
    @Test
    void theCommandLineAndTheConsoleGiveTheSameGroupForTheSameDomain() {
        Finding unknown = new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain -DomainName x.example and import its DnssecMxValue");
        List<MigrationState> states = List.of(blocked("both.example", INSECURE, unknown), blocked("both-2.example", unknown, INSECURE, unknown),
                blocked("insecure.example", INSECURE), blocked("unknown.example", unknown), undiscoverable("gone.example"),
                completed("done.example"));

        Map<String, Integer> cli = new LinkedHashMap<>();
        StoppedGroups.of(states).forEach(g -> cli.put(g.reason(), g.count()));
        Map<String, Integer> console = new LinkedHashMap<>();
        dev.mxshift.operator.console.ReasonGroups.of(states).forEach(g -> console.put(g.reason(), g.count()));

        assertThat(console).isEqualTo(cli).containsEntry("TARGET_UNKNOWN+ZONE_INSECURE", 2).containsEntry("ZONE_INSECURE", 1)
                .containsEntry("TARGET_UNKNOWN", 1).containsEntry("DISCOVERY_PERMANENT", 1).hasSize(4);
        for (MigrationState s : states) {
            String reason = dev.mxshift.model.workflow.StopReason.of(s);
            assertThat(dev.mxshift.operator.console.ReasonGroups.reasonCode(s)).isEqualTo(reason);
            if (reason != null) {
                StoppedGroups.Group group = StoppedGroups.of(states).stream().filter(g -> g.reason().equals(reason)).findFirst().orElseThrow();
                String todo = dev.mxshift.operator.console.ReasonGroups.nextStep(s).todo();
                assertThat(todo).endsWith(", then replay");
                assertThat(group.action()).startsWith(todo.substring(0, todo.length() - "replay".length()) + "./mxshift replay --status");
            }
        }
    }

    /**
     * The demo's 1,025 domains (499 stopped over a handful of reasons) give a report that fits on a laptop's screen; with
     * --list every stopped domain has its line.
     */
    @Test
    void theReportOfA1025DomainRunFitsOnOneScreenAndListGivesEveryStoppedDomain() {
        Map<DomainName, MigrationState> states = new LinkedHashMap<>();
        List<MigrationState> all = new ArrayList<>();
        for (int i = 0; i < 1025; i++) {
            String name = "t" + i + ".example";
            MigrationState s = switch (i % 20) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> blocked(name, INSECURE);
                case 8 -> blocked(name, BOGUS);
                case 9 -> i % 40 == 9 ? undiscoverable(name) : blocked(name, TRUST);
                default -> completed(name);
            };
            all.add(s);
        }
        all.forEach(s -> states.put(s.domain(), s));
        long stopped = all.stream().filter(s -> s.status().stopped()).count();
        long insecure = all.stream().filter(s -> s.blockReasons().contains(INSECURE)).count();
        assertThat(stopped).isGreaterThan(450);
        WatchCommand.Report report = WatchCommand.report(states, 121, true);

        String grouped = print(report, false);
        String listed = print(report, true);

        System.out.println(grouped);
        assertThat(grouped.lines().count()).as(grouped).isLessThan(40);
        assertThat(grouped).contains("stopped with a reason (" + stopped + ")").containsPattern("ZONE_INSECURE +BLOCKED +" + insecure + " ")
                .contains("./mxshift status --status BLOCKED --failed-because ZONE_INSECURE --list");
        assertThat(listed.lines().count()).isGreaterThan(stopped);
        all.stream().filter(s -> s.status().stopped())
                .forEach(s -> assertThat(listed).contains("  " + s.domain().value() + " "));
    }

    private static String print(WatchCommand.Report report, boolean list) {
        StringWriter text = new StringWriter();
        WatchCommand.print(report, 0, list, new PrintWriter(text, true));
        return text.toString();
    }
}
