package dev.mxshift.operator;

import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the lab's catalogue scenarios end when migrated: what the end-to-end and the crash tests hold the system to. */
final class CatalogueOutcomes {

    /** Each scenario and where its domains must end: a status, or for blocked ones the first reason's code. */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("eligible-signed", "COMPLETED"), Map.entry("eligible-pref10", "COMPLETED"), Map.entry("legacy-eo", "COMPLETED"),
            Map.entry("legacy-de", "COMPLETED"), Map.entry("idn", "COMPLETED"), Map.entry("hyphenated", "COMPLETED"),
            Map.entry("two-servers", "COMPLETED"), Map.entry("mta-sts-exact", "COMPLETED"), Map.entry("rfc2136-signed", "COMPLETED"),
            Map.entry("nxdomain", "DISCOVERY_FAILED"),
            Map.entry("eligible-unsigned", "ZONE_INSECURE"), Map.entry("signed-no-ds", "ZONE_INSECURE"),
            // The DNSSEC stage's candidates (issue 28) end where every insecure zone ends until that stage exists.
            Map.entry("onboard-ch-powerdns", "ZONE_INSECURE"), Map.entry("onboard-ch-bind", "ZONE_INSECURE"),
            Map.entry("onboard-ch-two-servers", "ZONE_INSECURE"), Map.entry("onboard-ch-signed-no-ds", "ZONE_INSECURE"),
            Map.entry("onboard-ch-foreign-ns", "ZONE_INSECURE"), Map.entry("onboard-com-manual", "ZONE_INSECURE"),
            Map.entry("bogus-missing-rrsig", "ZONE_BOGUS"), Map.entry("bogus-ds-mismatch", "ZONE_BOGUS"), Map.entry("bogus-expired", "ZONE_BOGUS"),
            Map.entry("mta-sts-wildcard", "MTA_STS_NOT_COVERING"), Map.entry("target-tlsa-mismatch", "TARGET_DANE_FAILED"),
            Map.entry("target-pkix-only", "TARGET_DANE_NO_USABLE_TLSA"),
            Map.entry("mx-cname", "NOT_ELIGIBLE"), Map.entry("already-migrated", "NOT_ELIGIBLE"), Map.entry("null-mx", "NOT_ELIGIBLE"),
            Map.entry("no-mx", "NOT_ELIGIBLE"), Map.entry("third-party-gateway", "NOT_ELIGIBLE"), Map.entry("fallback-mx", "NOT_ELIGIBLE"),
            Map.entry("lame-delegation", "NOT_ELIGIBLE"));

    /**
     * Where they end with the DNSSEC stage on (the unsigned-zone policy's default: sign where the zone's connector can,
     * with the lab's registrar desk doing the manual parents' part): the unsigned and signed-without-DS zones at
     * PowerDNS and BIND are signed or chained, then migrated; the rest as without it.
     */
    static final Map<String, String> EXPECTED_WHEN_SIGNING = withSigning();

    private static Map<String, String> withSigning() {
        Map<String, String> expected = new java.util.HashMap<>(EXPECTED);
        for (String chained : java.util.List.of("eligible-unsigned", "signed-no-ds", "onboard-ch-powerdns", "onboard-ch-bind",
                "onboard-ch-two-servers", "onboard-ch-signed-no-ds", "onboard-com-manual")) {
            expected.put(chained, "COMPLETED");
        }
        // a delegation naming a server no connector reaches is blocked, naming it
        expected.put("onboard-ch-foreign-ns", "FOREIGN_NAME_SERVER");
        return Map.copyOf(expected);
    }

    private CatalogueOutcomes() {
    }

    /** Fails unless the domain ended where its scenario must. */
    static void assertEndedAsExpected(MigrationState s, String scenario) {
        assertEndedAsExpected(s, scenario, false);
    }

    /** Fails unless the domain ended where its scenario must, with the DNSSEC stage on or off. */
    static void assertEndedAsExpected(MigrationState s, String scenario, boolean signing) {
        String expected = (signing ? EXPECTED_WHEN_SIGNING : EXPECTED).get(scenario);
        assertThat(expected).as("a scenario the test knows: " + scenario).isNotNull();
        if (expected.equals("COMPLETED") || expected.equals("DISCOVERY_FAILED")) {
            assertThat(s.status()).as(s.domain() + " (" + scenario + "): " + StatusCommand.detail(s)).hasToString(expected);
        } else {
            assertThat(s.status()).as(s.domain() + " (" + scenario + ")").isEqualTo(WorkflowStatus.BLOCKED);
            assertThat(s.blockReasons().get(0).code()).as(s.domain() + " (" + scenario + ")").isEqualTo(expected);
        }
    }
}
