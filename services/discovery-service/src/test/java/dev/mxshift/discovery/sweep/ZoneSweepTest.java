package dev.mxshift.discovery.sweep;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ZoneSweepTest {

    private static final Name ZONE = name("example.com.");
    private static final Name LEGACY = name("example-com.mail.protection.outlook.com.");
    private static final Map<Name, List<InetAddress>> ADDRESSES = Map.of(LEGACY, List.of(address("52.101.0.7"), address("2a01:111:f403::7")));

    /** Every kind of dependence the issue names, once each, beside the apex MX the plan moves. */
    private static final List<Record> PLANTED = zone(
            "@ 3600 MX 0 example-com.mail.protection.outlook.com.",
            "relay 3600 CNAME example-com.mail.protection.outlook.com.",
            "smtp 3600 CNAME EXAMPLE-COM.Mail.Protection.Outlook.COM.",
            "legacy-eo 300 CNAME example-com.mail.eo.outlook.com.",
            "mail 3600 A 52.101.0.7",
            "mail6 3600 AAAA 2a01:111:f403::7",
            "@ 3600 TXT \"v=spf1 ip4:52.101.0.7 a:example-com.mail.protection.outlook.com include:spf.protection.outlook.com -all\"",
            "spf6 3600 TXT \"v=spf1 ip6:2a01:111:f403::7/128 \" \"mx:example-com.mail.protection.outlook.de -all\"",
            "sub 3600 MX 10 sub-example-com.mail.protection.outlook.com.",
            "eu 3600 DNAME mail.protection.outlook.de.",
            "_submission._tcp 3600 SRV 0 1 587 example-com.mail.protection.outlook.com.");

    /** What stays valid after the move, and must stay quiet. */
    private static final List<Record> QUIET = zone(
            "@ 3600 MX 0 example-com.o-v1.mx.microsoft.",
            "@ 3600 TXT \"v=spf1 include:spf.protection.outlook.com -all\"",
            "@ 3600 TXT \"MS=ms12345678\"",
            "autodiscover 3600 CNAME autodiscover.outlook.com.",
            "selector1._domainkey 3600 CNAME selector1-example-com._domainkey.contoso.onmicrosoft.com.",
            "selector2._domainkey 3600 CNAME selector2-example-com._domainkey.contoso.onmicrosoft.com.",
            "relay 3600 CNAME example-com.o-v1.mx.microsoft.",
            "www 3600 A 192.0.2.80",
            "range 3600 TXT \"v=spf1 ip4:52.101.0.0/16 -all\"",
            "other 3600 TXT \"not spf: a:example-com.mail.protection.outlook.com ip4:52.101.0.7\"",
            "sub 3600 MX 10 sub-example-com.p-v1.mx.microsoft.",
            "_sip._tls 3600 SRV 100 1 443 sipdir.online.lync.com.",
            "enterpriseregistration 3600 CNAME enterpriseregistration.windows.net.");

    @Test
    void everyPlantedKindIsFoundOnceAndTheApexMxIsLeftToThePlan() {
        List<SweepFinding> findings = ZoneSweep.sweep(ZONE, PLANTED, ADDRESSES, Map.of());

        assertThat(findings).extracting(SweepFinding::owner, SweepFinding::type, SweepFinding::kind, SweepFinding::confidence)
                .containsExactlyInAnyOrder(
                        tuple("relay.example.com", "CNAME", SweepFinding.Kind.ALIAS, SweepFinding.Confidence.CERTAIN),
                        tuple("smtp.example.com", "CNAME", SweepFinding.Kind.ALIAS, SweepFinding.Confidence.CERTAIN),
                        tuple("legacy-eo.example.com", "CNAME", SweepFinding.Kind.ALIAS, SweepFinding.Confidence.CERTAIN),
                        tuple("mail.example.com", "A", SweepFinding.Kind.HARD_CODED_ADDRESS, SweepFinding.Confidence.LIKELY),
                        tuple("mail6.example.com", "AAAA", SweepFinding.Kind.HARD_CODED_ADDRESS, SweepFinding.Confidence.LIKELY),
                        tuple("example.com", "TXT", SweepFinding.Kind.SPF_ADDRESS_PIN, SweepFinding.Confidence.LIKELY),
                        tuple("example.com", "TXT", SweepFinding.Kind.SPF_HOST_PIN, SweepFinding.Confidence.CERTAIN),
                        tuple("spf6.example.com", "TXT", SweepFinding.Kind.SPF_ADDRESS_PIN, SweepFinding.Confidence.LIKELY),
                        tuple("spf6.example.com", "TXT", SweepFinding.Kind.SPF_HOST_PIN, SweepFinding.Confidence.CERTAIN),
                        tuple("sub.example.com", "MX", SweepFinding.Kind.OTHER_MX, SweepFinding.Confidence.CERTAIN),
                        tuple("eu.example.com", "DNAME", SweepFinding.Kind.DNAME, SweepFinding.Confidence.CERTAIN),
                        tuple("_submission._tcp.example.com", "SRV", SweepFinding.Kind.SRV, SweepFinding.Confidence.CERTAIN));
    }

    @Test
    void everyQuietKindStaysQuietEvenWithTheLegacyAddressesKnown() {
        assertThat(ZoneSweep.sweep(ZONE, QUIET, ADDRESSES, Map.of())).isEmpty();
        assertThat(ZoneSweep.legacyHostsNamed(QUIET)).isEmpty();
    }

    @Test
    void aFindingNamesTheRecordWhyAndTheFixWithTheTargetWhereKnown() {
        Map<Name, Name> planned = Map.of(ZONE, name("example-com.o-v1.mx.microsoft."));
        SweepFinding relay = ZoneSweep.sweep(ZONE, PLANTED, ADDRESSES, planned).stream()
                .filter(f -> f.owner().equals("relay.example.com")).findFirst().orElseThrow();

        assertThat(relay.record()).isEqualTo("relay.example.com 3600 CNAME example-com.mail.protection.outlook.com.");
        assertThat(relay.legacy()).isEqualTo("example-com.mail.protection.outlook.com");
        assertThat(relay.why()).contains("legacy inbound host example-com.mail.protection.outlook.com");
        assertThat(relay.fix()).isEqualTo("alias relay.example.com to the domain's mx.microsoft host example-com.o-v1.mx.microsoft");

        SweepFinding address = ZoneSweep.sweep(ZONE, PLANTED, ADDRESSES, planned).stream()
                .filter(f -> f.owner().equals("mail.example.com")).findFirst().orElseThrow();
        assertThat(address.fix()).startsWith("replace the hard-coded address with a CNAME to the domain's mx.microsoft host example-com.o-v1.mx.microsoft");
    }

    @Test
    void withoutAKnownTargetTheFixSaysWhereToFindIt() {
        SweepFinding relay = ZoneSweep.sweep(ZONE, PLANTED, ADDRESSES, Map.of()).stream()
                .filter(f -> f.owner().equals("relay.example.com")).findFirst().orElseThrow();
        assertThat(relay.fix()).isEqualTo("alias relay.example.com to the domain's mx.microsoft host (Microsoft 365 shows it as the domain's new MX value)");
    }

    @Test
    void theZonesOwnMigratedApexMxGivesTheTarget() {
        List<Record> migrated = zone("@ 300 MX 0 example-com.o-v1.mx.microsoft.", "relay 300 CNAME example-com.mail.protection.outlook.com.");
        assertThat(ZoneSweep.sweep(ZONE, migrated, Map.of(), Map.of()))
                .singleElement().extracting(SweepFinding::fix)
                .isEqualTo("alias relay.example.com to the domain's mx.microsoft host example-com.o-v1.mx.microsoft");
    }

    @Test
    void aSubdomainInTheInventoryHasItsMxLeftToThePlan() {
        Map<Name, Name> planned = Map.of(name("sub.example.com."), name("sub-example-com.o-v1.mx.microsoft."));
        assertThat(ZoneSweep.sweep(ZONE, PLANTED, ADDRESSES, planned)).noneMatch(f -> f.kind() == SweepFinding.Kind.OTHER_MX);
    }

    @Test
    void addressesAreFoundOnlyWhenTheLegacyHostsHaveThemNow() {
        assertThat(ZoneSweep.sweep(ZONE, PLANTED, Map.of(), Map.of()))
                .noneMatch(f -> f.kind() == SweepFinding.Kind.HARD_CODED_ADDRESS || f.kind() == SweepFinding.Kind.SPF_ADDRESS_PIN)
                .anyMatch(f -> f.kind() == SweepFinding.Kind.SPF_HOST_PIN);
    }

    @Test
    void anAddressSharedByLegacyHostsIsNamedAfterTheHostTheZoneItselfNames() {
        Map<Name, List<InetAddress>> shared = Map.of(name("aaa-other.mail.protection.outlook.com."), List.of(address("52.101.0.7")),
                LEGACY, List.of(address("52.101.0.7")));
        assertThat(ZoneSweep.sweep(ZONE, PLANTED, shared, Map.of())).filteredOn(f -> f.owner().equals("mail.example.com"))
                .singleElement().extracting(SweepFinding::legacy).isEqualTo("example-com.mail.protection.outlook.com");
        List<Record> onlyTheCopy = zone("mail 3600 A 52.101.0.7");
        assertThat(ZoneSweep.sweep(ZONE, onlyTheCopy, shared, Map.of())).singleElement().extracting(SweepFinding::legacy)
                .as("without a host of its own, the first by name").isEqualTo("aaa-other.mail.protection.outlook.com");
    }

    @Test
    void theLegacyHostsOwnRecordsAreNotCopiesOfThemselves() {
        Name outlook = name("outlook.com.");
        List<Record> legacyZone = List.of(record("example-com.mail.protection.outlook.com. 3600 A 52.101.0.7"));
        assertThat(ZoneSweep.sweep(outlook, legacyZone, ADDRESSES, Map.of())).isEmpty();
    }

    @Test
    void theHostsToResolveAreEveryLegacyNameTheZoneNamesTheApexMxIncluded() {
        assertThat(ZoneSweep.legacyHostsNamed(PLANTED)).containsExactlyInAnyOrder(
                LEGACY, name("example-com.mail.eo.outlook.com."), name("sub-example-com.mail.protection.outlook.com."),
                name("example-com.mail.protection.outlook.de."));
    }

    private static List<Record> zone(String... lines) {
        return Arrays.stream(lines).map(ZoneSweepTest::record).toList();
    }

    private static Record record(String line) {
        String[] parts = line.split("\\s+", 4);
        Name owner = parts[0].equals("@") ? ZONE : parts[0].endsWith(".") ? name(parts[0]) : name(parts[0] + "." + ZONE);
        try {
            return Record.fromString(owner, Type.value(parts[2]), DClass.IN, Long.parseLong(parts[1]), parts[3], ZONE);
        } catch (IOException e) {
            throw new UncheckedIOException(line, e);
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
