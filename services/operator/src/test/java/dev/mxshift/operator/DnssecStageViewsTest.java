package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.DnssecPhase;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DNSSEC stage in the operator's views, from histories built through the fold: status's table, JSON and counts,
 * the --dnssec filter, watch's report, the API's lines and query, and the contract's list of phases.
 */
class DnssecStageViewsTest {

    private static DomainHistory history(String domain, DnssecPhase stopAt) {
        DomainName name = DomainName.of(domain);
        DomainHistory history = DomainHistory.of(name);
        history.add(new MigrationRequested(ProviderRef.of("powerdns-lab", domain), Fixtures.targetHostOf(name), "wave-1", List.of(),
                "inventory", false, UnsignedZonePolicy.SIGN));
        for (int i = 0; i < 200 && (stopAt == null || DnssecProgress.of(history.state()).phase() != stopAt); i++) {
            MigrationEvent next = CooperativeWorld.successorOf(history.state());
            if (next == null) {
                break;
            }
            history.add(next);
        }
        return history;
    }

    /** A DS sent by CDS and not yet served everywhere: the parent checked once. */
    private static DomainHistory awaitingDs() {
        DomainHistory history = history("alpenhof.example", DnssecPhase.AWAITING_DS);
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(new dev.mxshift.model.event.VerificationRetryScheduled(dev.mxshift.model.event.Direction.FORWARD,
                history.state().stepIndex(), 1, history.last().occurredAt().plusSeconds(60), "example serves no DS yet", List.of()));
        return history;
    }

    @Test
    void aDomainsLineCarriesItsPhaseParentPathAndSinceInTheTableAndInJson() throws Exception {
        DomainHistory waiting = awaitingDs();
        String since = DnssecProgress.of(waiting.events()).since().toString();
        StatusCommand.Line line = StatusCommand.line(waiting.state(), null, DnssecProgress.of(waiting.events()));

        assertThat(StatusCommand.row(line)).contains("alpenhof.example").contains("MIGRATING")
                .contains("awaiting-ds example/cds since " + since);
        JsonNode json = Json.MAPPER.readTree(Json.write(line));
        assertThat(json.path("dnssec").path("phase").asString()).isEqualTo("awaiting-ds");
        assertThat(json.path("dnssec").path("parent").asString()).isEqualTo("example");
        assertThat(json.path("dnssec").path("path").asString()).isEqualTo("cds");
        assertThat(json.path("dnssec").path("since").asString()).isEqualTo(since);
        assertThat(json.path("dnssec").path("detail").asString()).contains("submitted").contains("checked 1 time(s)");

        // from the state alone (a list not asked by phase): the phase without since
        StatusCommand.Line fromState = StatusCommand.line(waiting.state(), null);
        assertThat(fromState.dnssec().since()).isNull();
        assertThat(StatusCommand.row(fromState)).contains("awaiting-ds example/cds").doesNotContain(" since ");

        StatusCommand.Line plain = StatusCommand.line(CooperativeWorld.migrated(Fixtures.DOMAIN).state(), null);
        assertThat(plain.dnssec().phase()).isEqualTo("none");
    }

    @Test
    void countsPerPhaseLeaveOutDomainsWithoutAStageAndSayHowToListThoseWaitingAtTheParent() {
        List<MigrationState> states = List.of(awaitingDs().state(), history("chained.example", null).state(),
                history("signing.example", DnssecPhase.SIGNING).state(), CooperativeWorld.migrated(Fixtures.DOMAIN).state());
        Map<String, Integer> byDnssec = StatusCounts.of(states).byDnssec();
        assertThat(byDnssec).containsExactly(Map.entry("signing", 1), Map.entry("awaiting-ds", 1), Map.entry("chained", 1));
        assertThat(StatusCommand.dnssecCounts(byDnssec)).startsWith("signing 1, awaiting-ds 1, chained 1")
                .contains("status --dnssec awaiting-ds --list");

        Map<DomainName, MigrationState> byDomain = new LinkedHashMap<>();
        states.forEach(s -> byDomain.put(s.domain(), s));
        WatchCommand.Report report = WatchCommand.report(byDomain, 10, false);
        assertThat(report.dnssec().byPhase()).isEqualTo(byDnssec);
    }

    @Test
    void statusSelectsByPhaseAndRefusesAPhaseThatDoesNotExistNamingTheOnesThatDo() {
        StatusCommand status = new StatusCommand();
        new CommandLine(status).parseArgs("--dnssec", "awaiting-ds,BLOCKED", "--list");
        assertThat(status.selection.empty()).isFalse();
        assertThat(status.selection.matches(awaitingDs().state())).isTrue();
        assertThat(status.selection.matches(history("chained.example", null).state())).isFalse();

        StringWriter err = new StringWriter();
        int exit = OperatorCommand.commandLine().setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                .execute("status", "--dnssec", "waiting-for-ds");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--dnssec").contains("waiting-for-ds").contains("awaiting-ds");
    }

    @Test
    void theApiSelectsByPhaseAndATenantsLineIsRedactedInItsDnssecDetailToo() {
        ApiTokens.Caller tenant = new ApiTokens.Caller("portal", Fixtures.TENANT.value());
        Selection selection = ApiScope.selection(tenant, Map.of("dnssec", "awaiting-ds"), null);
        assertThat(selection.dnssecPhases).containsExactly(DnssecPhase.AWAITING_DS);
        assertThatThrownBy(() -> ApiScope.selection(tenant, Map.of("dnssec", "soon"), null)).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("awaiting-ds");

        StatusCommand.Line line = new StatusCommand.Line("alpenhof.example", Fixtures.TENANT.value(), "FAILED", "stopped at 192.0.2.53:53",
                new StatusCommand.Dnssec("blocked", "example", "cds", null, "publish DS stopped: 192.0.2.53:53 serves another DS"));
        StatusCommand.Line seen = DomainsEndpoint.redacted(tenant, line);
        assertThat(seen.dnssec().detail()).doesNotContain("192.0.2.53").contains("(a server of the hoster)");
        assertThat(seen.dnssec().phase()).isEqualTo("blocked");
        assertThat(DomainsEndpoint.redacted(new ApiTokens.Caller("noc", null), line).dnssec().detail()).contains("192.0.2.53");
    }

    @Test
    void theContractListsEveryPhaseTheModelKnowsAndTheFieldOnEveryDomainResource() throws Exception {
        JsonNode contract;
        try (InputStream in = OperatorApi.class.getResourceAsStream("/openapi.yaml")) {
            contract = new YAMLMapper().readTree(in);
        }
        JsonNode stage = contract.path("components").path("schemas").path("DnssecStage");
        List<String> documented = new ArrayList<>();
        stage.path("properties").path("phase").path("enum").forEach(v -> documented.add(v.asString()));
        assertThat(documented).containsExactlyElementsOf(Arrays.stream(DnssecPhase.values()).map(DnssecPhase::word).toList());
        List<String> paths = new ArrayList<>();
        stage.path("properties").path("path").path("enum").forEach(v -> paths.add(v.isNull() ? null : v.asString()));
        List<String> known = new ArrayList<>(Arrays.stream(dev.mxshift.model.dnssec.ParentPath.values()).map(dev.mxshift.model.dnssec.ParentPath::word).toList());
        known.add(null);
        assertThat(paths).as("every parent path the model knows, and null").containsExactlyElementsOf(known);
        assertThat(contract.path("components").path("schemas").path("DomainLine").path("properties").path("dnssec").path("$ref").asString())
                .isEqualTo("#/components/schemas/DnssecStage");
        assertThat(contract.path("paths").path("/domains/{domain}").path("get").path("responses").path("200").path("content")
                .path("application/json").path("schema").path("properties").path("dnssec").path("$ref").asString())
                .isEqualTo("#/components/schemas/DnssecStage");
    }
}
