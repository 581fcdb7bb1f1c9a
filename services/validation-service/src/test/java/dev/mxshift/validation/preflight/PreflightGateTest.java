package dev.mxshift.validation.preflight;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.dns.TlsaRecord;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MtaStsSnapshot;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dane.DaneVerdict;
import dev.mxshift.validation.dnssec.DnssecReason;
import dev.mxshift.validation.dnssec.DnssecValidator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a discovered domain and what was seen from outside, when the gates run, then pass or block with every reason. */
class PreflightGateTest {

    private static final DomainName DOMAIN = Fixtures.DOMAIN;
    private static final TlsaRecord TLSA = new TlsaRecord(3, 1, 1, "a".repeat(64));
    private static final DnssecValidator.Result SECURE = new DnssecValidator.Result(DnssecValidator.Status.SECURE, Rcode.NOERROR, List.of(), "", DnssecReason.NONE);
    private static final DaneCheck.Report TARGET_OK = new DaneCheck.Report(Fixtures.TARGET_HOST,
            new DaneVerdict.Validated(TLSA, "DANE-EE"), "127.0.20.1:25", List.of(TLSA, new TlsaRecord(2, 1, 1, "b".repeat(64))), "");

    @Test
    void anEligibleSecureDomainWithAValidatingTargetPasses() {
        assertThat(decide(discovered(Fixtures.legacyMx(DOMAIN), null), SECURE, TARGET_OK, PreflightPolicy.STRICT))
                .isEqualTo(new PreflightPassed(List.of()));
    }

    @Test
    void everyFailedGateIsListedNotJustTheFirst() {
        MxRecordSet twoMx = new MxRecordSet(DOMAIN, 3600, List.of(new MxRecord(0, Fixtures.LEGACY_HOST),
                new MxRecord(20, DomainName.of("backup.example.net"))));
        DnssecValidator.Result bogus = new DnssecValidator.Result(DnssecValidator.Status.BOGUS, Rcode.SERVFAIL, List.of(),
                "the DNSKEY set of contoso.com.: the signature by key 1 expired", DnssecReason.SIGNATURE_EXPIRED);
        DaneCheck.Report mismatch = new DaneCheck.Report(Fixtures.TARGET_HOST, new DaneVerdict.Failed(
                List.of(new DaneVerdict.Attempt(TLSA, "DANE-EE: the server certificate does not match"))), "127.0.20.2:25", List.of(TLSA), "");
        MigrationEvent decision = decide(discovered(twoMx, null), bogus, mismatch, PreflightPolicy.STRICT);
        assertThat(decision).isInstanceOf(PreflightBlocked.class);
        assertThat(((PreflightBlocked) decision).reasons()).extracting(Finding::code)
                .containsExactly("LEGACY_MX_NOT_SINGLE", "TARGET_DANE_FAILED", "ZONE_BOGUS");
        assertThat(((PreflightBlocked) decision).reasons().get(2).message()).contains("SIGNATURE_EXPIRED");
    }

    @Test
    void aLegacyMxAtAnotherPreferenceBlocks() {
        MxRecordSet pref20 = MxRecordSet.of(DOMAIN, 3600, new MxRecord(20, Fixtures.LEGACY_HOST));
        assertThat(codes(decide(discovered(pref20, null), SECURE, TARGET_OK, PreflightPolicy.STRICT))).containsExactly("LEGACY_MX_PREFERENCE");
    }

    private static final DnssecValidator.Result INSECURE = new DnssecValidator.Result(DnssecValidator.Status.INSECURE, Rcode.NOERROR, List.of(),
            "NSEC RRset for the referral proved no DS.", DnssecReason.NO_DS);

    @Test
    void anInsecureZoneIsBlockedMovedAnywayOrRefusedForSigningAsTheDomainsPolicySays() {
        MigrationState state = discovered(Fixtures.legacyMx(DOMAIN), null);
        assertThat(codes(decide(state, INSECURE, TARGET_OK, PreflightPolicy.STRICT))).containsExactly("ZONE_INSECURE");
        MigrationEvent allowed = decide(state, INSECURE, TARGET_OK, PreflightPolicy.of(UnsignedZonePolicy.MIGRATE_INSECURE, false));
        assertThat(allowed).isInstanceOf(PreflightPassed.class);
        assertThat(((PreflightPassed) allowed).warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("ZONE_INSECURE");
            assertThat(w.message()).startsWith("not DANE-protected: the zone is unsigned").contains("NO_DS");
        });
        assertThat(codes(decide(state, INSECURE, TARGET_OK, PreflightPolicy.of(UnsignedZonePolicy.SIGN, false))))
                .containsExactly("ZONE_SIGNING_UNAVAILABLE");
        assertThat(decide(state, SECURE, TARGET_OK, PreflightPolicy.STRICT)).as("a secure zone needs no policy").isInstanceOf(PreflightPassed.class);
    }

    @Test
    void theRowsPolicyWinsThenTheWavesThenTheTenantsThenTheDefault() {
        MigrationState plain = discovered(Fixtures.legacyMx(DOMAIN), null);
        String tenant = plain.tenant().value();
        PreflightPolicy byTenant = new PreflightPolicy(UnsignedZonePolicy.BLOCK, Map.of(), Map.of(tenant, UnsignedZonePolicy.MIGRATE_INSECURE), false);
        assertThat(decide(plain, INSECURE, TARGET_OK, byTenant)).isInstanceOf(PreflightPassed.class);
        MigrationState inWave = DomainHistory.of(DOMAIN).addAll(new MigrationRequested(Fixtures.PROVIDER, Fixtures.TARGET_HOST, "w1", List.of(), "test"),
                new Discovered(snapshot(plain.discoveredMx(), null))).state();
        PreflightPolicy waveBlocks = new PreflightPolicy(UnsignedZonePolicy.MIGRATE_INSECURE, Map.of("w1", UnsignedZonePolicy.BLOCK),
                Map.of(tenant, UnsignedZonePolicy.MIGRATE_INSECURE), false);
        assertThat(codes(decide(inWave, INSECURE, TARGET_OK, waveBlocks))).containsExactly("ZONE_INSECURE");
        MigrationState rowSays = DomainHistory.of(DOMAIN).addAll(new MigrationRequested(Fixtures.PROVIDER, Fixtures.TARGET_HOST, "w1", List.of(), "test",
                false, UnsignedZonePolicy.MIGRATE_INSECURE), new Discovered(snapshot(plain.discoveredMx(), null))).state();
        assertThat(decide(rowSays, INSECURE, TARGET_OK, waveBlocks)).isInstanceOf(PreflightPassed.class);
        assertThat(waveBlocks.unsignedZoneFor(rowSays)).isEqualTo(UnsignedZonePolicy.MIGRATE_INSECURE);
    }

    @Test
    void aWildcardMtaStsPolicyThatDoesNotCoverTheNewHostBlocksWithThePolicyTextNeeded() {
        MtaStsPolicy policy = new MtaStsPolicy(MtaStsPolicy.Mode.ENFORCE, List.of("*.mail.protection.outlook.com", "*.mx.microsoft"), 604800);
        MtaStsSnapshot sts = new MtaStsSnapshot(new RecordSet("_mta-sts.contoso.com", "TXT", 3600, List.of("\"v=STSv1; id=20261101\"")), policy);
        MigrationEvent decision = decide(discovered(Fixtures.legacyMx(DOMAIN), sts), SECURE, TARGET_OK, PreflightPolicy.STRICT);
        Finding finding = ((PreflightBlocked) decision).reasons().get(0);
        assertThat(finding.code()).isEqualTo("MTA_STS_NOT_COVERING");
        assertThat(finding.action()).contains("mx: " + Fixtures.TARGET_HOST.value()).contains("mode: enforce");
        assertThat(MtaStsPolicy.parse(finding.action().substring(finding.action().indexOf('\n') + 1)).covers(Fixtures.TARGET_HOST)).isTrue();
        assertThat(decide(discovered(Fixtures.legacyMx(DOMAIN), sts), SECURE, TARGET_OK, PreflightPolicy.of(UnsignedZonePolicy.BLOCK, true)))
                .isInstanceOf(PreflightPassed.class);
    }

    @Test
    void aSingleUsableTlsaIsAWarningAboutRollover() {
        DaneCheck.Report single = new DaneCheck.Report(Fixtures.TARGET_HOST, new DaneVerdict.Validated(TLSA, "DANE-EE"),
                "127.0.20.1:25", List.of(TLSA), "only 1 usable TLSA record");
        MigrationEvent decision = decide(discovered(Fixtures.legacyMx(DOMAIN), null), SECURE, single, PreflightPolicy.STRICT);
        assertThat(((PreflightPassed) decision).warnings()).extracting(Finding::code).containsExactly("TARGET_TLSA_ROLLOVER");
    }

    @Test
    void anIneligibleDomainBlocks() {
        DomainHistory history = DomainHistory.of(DOMAIN).addAll(CooperativeWorld.request(DOMAIN),
                new Discovered(new DiscoverySnapshot(MxClassification.THIRD_PARTY_GATEWAY, "gateway", MxRecordSet.of(DOMAIN, 3600,
                        new MxRecord(10, DomainName.of("mx1.gateway.example"))), List.of(), List.of("lab"), true, true)));
        assertThat(codes(decide(history.state(), SECURE, TARGET_OK, PreflightPolicy.STRICT))).contains("NOT_ELIGIBLE");
    }

    private static MigrationEvent decide(MigrationState state, DnssecValidator.Result zone, DaneCheck.Report target, PreflightPolicy policy) {
        return PreflightGate.decide(state, new PreflightEvidence(zone, target), policy);
    }

    private static List<String> codes(MigrationEvent decision) {
        return ((PreflightBlocked) decision).reasons().stream().map(Finding::code).toList();
    }

    private static MigrationState discovered(MxRecordSet mx, MtaStsSnapshot sts) {
        return DomainHistory.of(DOMAIN).addAll(CooperativeWorld.request(DOMAIN), new Discovered(snapshot(mx, sts))).state();
    }

    private static DiscoverySnapshot snapshot(MxRecordSet mx, MtaStsSnapshot sts) {
        DiscoverySnapshot eligible = Fixtures.eligibleSnapshot(mx);
        return new DiscoverySnapshot(MxClassification.LEGACY_EXCHANGE_ONLINE, eligible.reason(), mx,
                eligible.records(), eligible.answeredBy(), true, true, sts);
    }
}
