package dev.mxshift.operator;

import dev.mxshift.lab.mailflow.MailFlowRecorder.Attempt;
import dev.mxshift.lab.mailflow.MailFlowRecorder.Delivery;
import dev.mxshift.lab.mailflow.MailFlowRecorder.Submitted;
import dev.mxshift.lab.mailflow.MailFlowReport;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's mail-flow verdict: the numbers the line gives, each domain's endpoints before, during and after its move,
 * and the problems that make a run not clean (a bounce, a loss, a completed signed domain not DANE-verified at the end,
 * a rolled-back domain whose mail did not go back).
 */
class MailFlowVerdictTest {

    private static final String LEGACY = "127.0.20.3:25 legacy";
    private static final String TARGET = "127.0.20.1:25 target";
    private static final Instant T0 = Instant.parse("2026-12-06T18:00:00Z");

    private final List<Submitted> submitted = new ArrayList<>();
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final Map<String, List<Delivery>> deliveries = new HashMap<>();
    private final Map<DomainName, MigrationState> states = new HashMap<>();
    private final Map<String, MailFlowVerdict.Timeline> timelines = new HashMap<>();

    private void mail(String domain, int second, String endpoint, String tls) {
        String id = "m" + submitted.size() + "@sender";
        submitted.add(new Submitted(id, "postmaster@" + domain, T0.plusSeconds(second)));
        if (endpoint == null) {
            attempts.put(id, List.of(new Attempt("bounced", "none", "", "", "Host or domain name not found")));
            return;
        }
        attempts.put(id, List.of(new Attempt("sent", "mx", endpoint.substring(0, endpoint.indexOf(':')), tls, "250 Ok")));
        deliveries.put(id, List.of(new Delivery(endpoint, "")));
    }

    private void moved(String domain, int from, int to) {
        timelines.put(domain, new MailFlowVerdict.Timeline(T0.plusSeconds(from), T0.plusSeconds(to)));
    }

    private static MigrationState completed(String domain) {
        return CooperativeWorld.migrated(DomainName.of(domain)).state();
    }

    private static MigrationState rolledBack(String domain) {
        DomainHistory history = CooperativeWorld.migrated(DomainName.of(domain));
        history.add(new RollbackRequested("test", "mail goes back"));
        CooperativeWorld.runUntilStopped(history);
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
        return history.state();
    }

    private final List<MailFlowVerdict.Replay> replays = new ArrayList<>();

    private MailFlowVerdict verdict(Map<String, String> notMailable) {
        return MailFlowVerdict.decide(new MailFlowReport(submitted, attempts, deliveries), states, timelines, notMailable, List.of(), replays, 5);
    }

    @Test
    void aCleanRunCountsTheDaneVerifiedDomainsAndShowsWhereMailWentBeforeDuringAndAfter() {
        states.put(DomainName.of("contoso.example"), completed("contoso.example"));
        states.put(DomainName.of("adatum.example"), rolledBack("adatum.example"));
        mail("contoso.example", 0, LEGACY, "Untrusted");
        mail("contoso.example", 5, LEGACY, "Untrusted");
        mail("contoso.example", 10, TARGET, "Verified");
        mail("contoso.example", 15, TARGET, "Verified");
        moved("contoso.example", 3, 12);
        mail("adatum.example", 0, LEGACY, "Untrusted");
        mail("adatum.example", 5, TARGET, "Verified");
        mail("adatum.example", 10, LEGACY, "Untrusted");
        mail("adatum.example", 15, LEGACY, "Untrusted");
        moved("adatum.example", 3, 12);

        MailFlowVerdict v = verdict(Map.of("nothing.example", "NXDOMAIN: bounced"));

        assertThat(v.problems()).isEmpty();
        assertThat(v.clean()).isTrue();
        assertThat(v.line()).startsWith("mail flow: 0 bounced, 0 lost, 0 duplicated, 1 DANE-verified (of 1 domains completed in a signed zone);"
                + " 8 sent to 2 domains, 8 delivered once, 0 deferral(s), 1 not mailable by design");
        assertThat(v.domains()).extracting(MailFlowVerdict.DomainMail::pattern).containsExactly(
                "ROLLED_BACK: before legacy, during target -> legacy, after legacy",
                "COMPLETED: before legacy, during legacy -> target, after target");
        assertThat(v.details()).anyMatch(l -> l.contains("NXDOMAIN: bounced (nothing.example)"))
                .anyMatch(l -> l.contains("rolled back: 1 domain(s), their mail back at the endpoint it went to before the move"));
    }

    @Test
    void aBounceAnUnverifiedCompletedDomainAndARollbackThatStayedAtTheNewHostAreProblems() {
        states.put(DomainName.of("contoso.example"), completed("contoso.example"));
        states.put(DomainName.of("adatum.example"), rolledBack("adatum.example"));
        mail("contoso.example", 0, LEGACY, "Untrusted");
        mail("contoso.example", 5, null, null);
        mail("contoso.example", 10, TARGET, "Untrusted");
        mail("adatum.example", 0, LEGACY, "Untrusted");
        mail("adatum.example", 10, TARGET, "Verified");

        MailFlowVerdict v = verdict(Map.of());

        assertThat(v.clean()).isFalse();
        assertThat(v.line()).startsWith("mail flow: 1 bounced, 0 lost, 0 duplicated, 0 DANE-verified (of 1 domains completed in a signed zone)");
        assertThat(v.problems()).containsExactlyInAnyOrder("1 message(s) bounced",
                "contoso.example: completed in a signed zone, but its last delivery went over Untrusted TLS to " + TARGET,
                "adatum.example: rolled back, but its last mail went to " + TARGET + ", not back to " + LEGACY);
    }

    @Test
    void aDomainReplayedAfterARefusedWriteIsNamedWithWhereItsMailWentWhileItWasStopped() {
        states.put(DomainName.of("alpine.example"), completed("alpine.example"));
        mail("alpine.example", 0, LEGACY, "Untrusted");
        mail("alpine.example", 5, LEGACY, "Untrusted");
        mail("alpine.example", 10, LEGACY, "Untrusted");
        mail("alpine.example", 20, TARGET, "Verified");
        moved("alpine.example", 3, 18);
        replays.add(new MailFlowVerdict.Replay("alpine.example", "the provider refused the write: REFUSED", T0.plusSeconds(4), T0.plusSeconds(12)));

        MailFlowVerdict v = verdict(Map.of());

        assertThat(v.problems()).isEmpty();
        assertThat(v.line()).endsWith("4 sent to 1 domains, 4 delivered once, 0 deferral(s), 1 replayed after a refused write");
        assertThat(v.details()).contains("replayed after a refused write: alpine.example (the provider refused the write: REFUSED); stopped 8 s,"
                + " 2 message(s) sent meanwhile, delivered at legacy; thawed and replayed from the failing step: COMPLETED, last delivery target"
                + " DANE-verified");
    }

    @Test
    void mailThatLeftTheLegacyHostWhileTheDomainWasStoppedAndAReplayThatDidNotCompleteAreProblems() {
        states.put(DomainName.of("alpine.example"), rolledBack("alpine.example"));
        mail("alpine.example", 0, LEGACY, "Untrusted");
        mail("alpine.example", 5, TARGET, "Verified");
        replays.add(new MailFlowVerdict.Replay("alpine.example", "REFUSED", T0.plusSeconds(4), T0.plusSeconds(12)));
        replays.add(new MailFlowVerdict.Replay("bergbahn.example", "it ended BLOCKED without a write refused", null, null));

        MailFlowVerdict v = verdict(Map.of());

        assertThat(v.clean()).isFalse();
        assertThat(v.line()).endsWith(", 1 replayed after a refused write");
        assertThat(v.problems()).contains("alpine.example: stopped by a refused write, but mail sent meanwhile went to " + TARGET + ", not to " + LEGACY,
                "alpine.example: replayed after a refused write, but it ended ROLLED_BACK");
        assertThat(v.details()).contains("no replay after a refused write shown for bergbahn.example: it ended BLOCKED without a write refused");
    }
}
