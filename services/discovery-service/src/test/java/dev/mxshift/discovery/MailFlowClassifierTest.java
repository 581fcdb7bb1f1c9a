package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsAnswer;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MxClassification;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure classification, on observations built by hand: the cases the lab catalogue does not stage. */
class MailFlowClassifierTest {

    private static final String SERVER = "192.0.2.53:53";
    private static final String ZONE_SERVER = "198.51.100.1:53";

    @Test
    void aTimedOutMxQueryIsARetryableFailureNamingTheQuery() {
        DiscoveryReport report = MailFlowClassifier.classify(observe("contoso.com",
                Lookup.failed("contoso.com./MX: no answer after 4 attempts (SocketTimeoutException)"), Map.of()));
        assertThat(report.failure()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(report.classification()).isNull();
        assertThat(report.reason()).contains("contoso.com./MX").contains("4 attempts");
    }

    @Test
    void aServfailForTheMxAloneIsRetryableNotALameDelegation() {
        DomainObservation seen = observe("contoso.com", answer("contoso.com", Type.MX, Rcode.SERVFAIL), Map.of());
        DiscoveryReport report = MailFlowClassifier.classify(seen);
        assertThat(report.failure()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(report.reason()).contains("SERVFAIL").contains("otherwise answers");
    }

    @Test
    void aLameDelegationNamesEachServerAndWhatItDidNeverDnssec() {
        Name zone = Name.fromConstantString("lamedelegation.com.");
        Name lame = Name.fromConstantString("lame.example.net.");
        DelegationCheck check = new DelegationCheck(zone, List.of(lame), "NS lamedelegation.com at the parent com's server",
                List.of(new DelegationCheck.Asked(lame, "192.0.2.7",
                        Lookup.of(new DnsAnswer(zone, Type.SOA, Rcode.REFUSED, List.of(), false, true, "192.0.2.7:53", 1, "")))));
        DiscoveryReport report = MailFlowClassifier.classify(failingDelegation(check));
        assertThat(report.classification()).isEqualTo(MxClassification.LAME_DELEGATION);
        assertThat(report.failure()).isNull();
        assertThat(report.reason()).startsWith("lame delegation: lame.example.net (192.0.2.7) answered REFUSED for lamedelegation.com;"
                + " fix the NS records at the registrar or load the zone on the servers they name")
                .contains("at the parent com's server").contains("SERVFAIL").doesNotContainIgnoringCase("dnssec").doesNotContain("bogus");
    }

    @Test
    void aFailingZoneThatOneOfItsNamedServersServesIsARetryableFailureNotALameDelegation() {
        Name zone = Name.fromConstantString("contoso.com.");
        Name ns = Name.fromConstantString("ns1.example.net.");
        DelegationCheck check = new DelegationCheck(zone, List.of(ns), "NS contoso.com from the parent", List.of(new DelegationCheck.Asked(ns,
                "192.0.2.8", authoritative("contoso.com", Type.SOA, true, record("contoso.com", Type.SOA, 3600,
                        "ns1.example.net. hostmaster.example. 1 3600 600 604800 300")))));
        DiscoveryReport report = MailFlowClassifier.classify(failingDelegation(check));
        assertThat(report.failure()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(report.reason()).contains("ns1.example.net (192.0.2.8) answers for contoso.com with authority");
    }

    @Test
    void aFailingDelegationWhoseServersCannotBeLearnedSaysWhy() {
        DiscoveryReport report = MailFlowClassifier.classify(failingDelegation(
                DelegationCheck.unlearned(Name.fromConstantString("lamedelegation.com."), "no enclosing zone's name servers could be found")));
        assertThat(report.classification()).isEqualTo(MxClassification.LAME_DELEGATION);
        assertThat(report.reason()).contains("could not be learned (no enclosing zone's name servers could be found)");
    }

    private static DomainObservation failingDelegation(DelegationCheck check) {
        String domain = check.zone().toString(true);
        Lookup mx = answer(domain, Type.MX, Rcode.SERVFAIL);
        Lookup soa = answer(domain, Type.SOA, Rcode.SERVFAIL);
        Lookup empty = answer(domain, Type.TXT, Rcode.SERVFAIL);
        return new DomainObservation(DomainName.of(domain), soa, mx, null, empty, empty, empty, empty, empty, empty, Map.of(), null, check);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "ab--contoso-com.mail.protection.outlook.com.",   // '--' in positions 3 and 4: IDNA 2008 refuses it, DNS does not
            "-contoso-com.mail.protection.outlook.com.",      // a leading hyphen
            "contoso-com-.mail.eo.outlook.com.",              // a trailing hyphen
            "contoso_com.mail.protection.outlook.com.",       // an underscore
            "Contoso-COM.Mail.Protection.Outlook.COM."})       // case, as some providers echo it
    void aLegacyMxHostWithAnUnusualLabelIsStillLegacy(String host) {
        DiscoveryReport report = classify("contoso.com", "0 " + host);
        assertThat(report.classification()).as(report.reason()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mx().records().get(0).exchange().value()).isEqualTo(host.substring(0, host.length() - 1).toLowerCase());
    }

    @Test
    void anMxHostThatIsNoHostNameIsReportedWithItsRecordNotThrown() {
        // Octets a wire name may carry and a host name may not: a space and 0xff (dnsjava shows them as \032 and \255).
        for (String bad : List.of("bad\\032host.example.net.", "contoso-com\\255.mail.protection.outlook.com.")) {
            DomainObservation seen = observe("contoso.com", answer("contoso.com", Type.MX, Rcode.NOERROR,
                    record("contoso.com", Type.MX, 300, "0 " + bad)), Map.of());
            DiscoveryReport report = MailFlowClassifier.classify(seen);
            assertThat(report.classification()).isEqualTo(MxClassification.OTHER);
            assertThat(report.reason()).contains("an MX record cannot be used: the record contoso.com.").contains("MX").contains("0 " + bad)
                    .contains("from " + SERVER).contains("an escaped octet (\\").contains("correct the record at the DNS provider");
        }
    }

    @Test
    void legacyAndNewTargetTogetherIsAHalfDoneMoveNotEligible() {
        DiscoveryReport report = classify("contoso.com", "0 contoso-com.mail.protection.outlook.com.", "10 contoso-com.o-v1.mx.microsoft.");
        assertThat(report.classification()).isEqualTo(MxClassification.OTHER);
        assertThat(report.reason()).contains("half done");
    }

    @Test
    void severalLegacyHostsAreEligibleAndTheSmallestTtlIsKept() {
        DomainObservation seen = observe("contoso.com", answer("contoso.com", Type.MX, Rcode.NOERROR,
                record("contoso.com", Type.MX, 300, "0 contoso-com.mail.protection.outlook.com."),
                record("contoso.com", Type.MX, 600, "10 contoso-com.mail.eo.outlook.com.")), hostsWithAddresses(
                "contoso-com.mail.protection.outlook.com", "contoso-com.mail.eo.outlook.com"));
        DiscoveryReport report = MailFlowClassifier.classify(seen);
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mx().ttl()).isEqualTo(300);
        assertThat(report.reason()).contains("2 MX records");
    }

    @Test
    void aCachedAnswerCountedDownKeepsTheTtlTheZonePublishesFromItsSignature() {
        // A resolver answering from its cache 46 s later: TTL 3554; the RRSIG still says the zone publishes 3600.
        DomainObservation seen = observe("contoso.com", answer("contoso.com", Type.MX, Rcode.NOERROR,
                record("contoso.com", Type.MX, 3554, "0 contoso-com.mail.protection.outlook.com."),
                record("contoso.com", Type.RRSIG, 3554, "MX 13 2 3600 20300101000000 20200101000000 12345 contoso.com. "
                        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                hostsWithAddresses("contoso-com.mail.protection.outlook.com"));
        DiscoveryReport report = MailFlowClassifier.classify(seen);
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mx().ttl()).isEqualTo(3600);

        DomainObservation unsigned = observe("contoso.com", answer("contoso.com", Type.MX, Rcode.NOERROR,
                record("contoso.com", Type.MX, 3554, "0 contoso-com.mail.protection.outlook.com.")),
                hostsWithAddresses("contoso-com.mail.protection.outlook.com"));
        assertThat(MailFlowClassifier.classify(unsigned).snapshot().mx().ttl()).as("no signature: the TTL as answered").isEqualTo(3554);
    }

    @Test
    void anUnsignedZonesMxIsTheOneItsOwnServerServesNotTheResolversCountedDownCopy() {
        // The resolver's copy, cached 46 s ago and since edited at the provider; the zone's server has the truth.
        Lookup cached = answer("contoso.com", Type.MX, Rcode.NOERROR,
                record("contoso.com", Type.MX, 3554, "0 contoso-com.mail.protection.outlook.com."));
        Lookup zone = authoritative("contoso.com", Type.MX, true,
                record("contoso.com", Type.MX, 3600, "0 contoso-com.mail.protection.outlook.com."),
                record("contoso.com", Type.MX, 3600, "10 contoso-com.mail.eo.outlook.com."));
        DiscoveryReport report = MailFlowClassifier.classify(observe("contoso.com", cached, zone, hostsWithAddresses(
                "contoso-com.mail.protection.outlook.com", "contoso-com.mail.eo.outlook.com")));
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mx().ttl()).isEqualTo(3600);
        assertThat(report.snapshot().mx().records()).hasSize(2);
        assertThat(report.snapshot().answeredBy()).contains(ZONE_SERVER);
        assertThat(report.snapshot().records()).filteredOn(r -> r.type().equals("MX")).singleElement()
                .satisfies(r -> assertThat(r.ttl()).isEqualTo(3600));
        assertThat(report.reason()).doesNotContain("count-down");
    }

    @Test
    void withoutAnAnswerWithAuthorityFromTheZoneTheResolversTtlIsKeptAndTheReasonSaysItMayBeWrong() {
        Lookup cached = answer("contoso.com", Type.MX, Rcode.NOERROR,
                record("contoso.com", Type.MX, 3554, "0 contoso-com.mail.protection.outlook.com."));
        // A server that answers from somewhere without AA is no source of the zone's TTL.
        Lookup notAuthoritative = authoritative("contoso.com", Type.MX, false,
                record("contoso.com", Type.MX, 100, "0 contoso-com.mail.protection.outlook.com."));
        assertThat(MailFlowClassifier.classify(observe("contoso.com", cached, notAuthoritative,
                hostsWithAddresses("contoso-com.mail.protection.outlook.com"))).snapshot().mx().ttl()).isEqualTo(3554);

        Lookup unreachable = Lookup.failed("no server of the zone answered the MX query with authority: ns1.example (timeout)");
        DiscoveryReport report = MailFlowClassifier.classify(observe("contoso.com", cached, unreachable,
                hostsWithAddresses("contoso-com.mail.protection.outlook.com")));
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mx().ttl()).isEqualTo(3554);
        assertThat(report.reason()).contains("cached count-down").contains("ns1.example (timeout)").contains("conflict");
    }

    @Test
    void aLegacyHostWithoutAddressIsStillEligibleButTheReasonSaysSo() {
        Map<DomainName, DomainObservation.HostObservation> hosts = new LinkedHashMap<>();
        Lookup nodata = answer("contoso-com.mail.protection.outlook.com", Type.A, Rcode.NXDOMAIN);
        hosts.put(DomainName.of("contoso-com.mail.protection.outlook.com"), new DomainObservation.HostObservation(nodata, nodata, nodata));
        DiscoveryReport report = MailFlowClassifier.classify(observe("contoso.com", mx("contoso.com", "0 contoso-com.mail.protection.outlook.com."), hosts));
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.reason()).contains("has no address record");
    }

    @Test
    void aDomainThatIsItselfAnAliasIsNotMigrated() {
        Lookup mx = answer("alias.example", Type.MX, Rcode.NOERROR,
                record("alias.example", Type.CNAME, 300, "contoso.com."));
        DiscoveryReport report = MailFlowClassifier.classify(observe("alias.example", mx, Map.of()));
        assertThat(report.classification()).isEqualTo(MxClassification.OTHER);
        assertThat(report.reason()).contains("CNAME to contoso.com");
    }

    @Test
    void anMxHostWithAnUnderscoreIsTakenAsDnsHoldsIt() {
        // RFC 952 host names have no '_', but DNS serves it and mail servers follow it; discovery judges what it points at.
        DiscoveryReport report = MailFlowClassifier.classify(observe("contoso.com", mx("contoso.com", "0 odd_host.example."), Map.of()));
        assertThat(report.classification()).isEqualTo(MxClassification.THIRD_PARTY_GATEWAY);
        assertThat(report.reason()).contains("odd_host.example");
    }

    @Test
    void anInvalidMtaStsRecordIsNotedAndIgnoredAsSendersDo() {
        DomainObservation base = observe("contoso.com", mx("contoso.com", "0 contoso-com.mail.protection.outlook.com."),
                hostsWithAddresses("contoso-com.mail.protection.outlook.com"));
        Lookup sts = answer("_mta-sts.contoso.com", Type.TXT, Rcode.NOERROR,
                record("_mta-sts.contoso.com", Type.TXT, 300, "\"v=STSv1; id=not-valid!\""));
        DomainObservation seen = new DomainObservation(base.domain(), base.soa(), base.mx(), base.zoneMx(), base.ns(), base.apexTxt(),
                base.dnskey(), base.ds(), sts, base.tlsRptTxt(), base.hosts(), new MtaStsPolicyFetcher.Fetch(null, "not fetched", ""));
        DiscoveryReport report = MailFlowClassifier.classify(seen);
        assertThat(report.classification()).isEqualTo(MxClassification.LEGACY_EXCHANGE_ONLINE);
        assertThat(report.snapshot().mtaSts()).isNull();
        assertThat(report.reason()).contains("_mta-sts record is invalid");
    }

    @Test
    void onlyTheSpfRecordOfTheApexTxtIsKept() {
        DomainObservation base = observe("contoso.com", mx("contoso.com", "0 contoso-com.mail.protection.outlook.com."),
                hostsWithAddresses("contoso-com.mail.protection.outlook.com"));
        Lookup txt = answer("contoso.com", Type.TXT, Rcode.NOERROR,
                record("contoso.com", Type.TXT, 300, "\"v=spf1 include:spf.protection.outlook.com -all\""),
                record("contoso.com", Type.TXT, 300, "\"google-site-verification=abc\""));
        DomainObservation seen = new DomainObservation(base.domain(), base.soa(), base.mx(), base.zoneMx(), base.ns(), txt,
                base.dnskey(), base.ds(), base.mtaStsTxt(), base.tlsRptTxt(), base.hosts(), null);
        DiscoveryReport report = MailFlowClassifier.classify(seen);
        assertThat(report.snapshot().records()).filteredOn(r -> r.type().equals("TXT") && r.owner().equals("contoso.com"))
                .singleElement().satisfies(r -> assertThat(r.rdata()).containsExactly("\"v=spf1 include:spf.protection.outlook.com -all\""));
    }

    private static DiscoveryReport classify(String domain, String... mx) {
        List<String> hosts = new ArrayList<>();
        for (String record : mx) {
            String host = record.split(" ")[1];
            hosts.add(host.substring(0, host.length() - 1));
        }
        return MailFlowClassifier.classify(observe(domain, mx(domain, mx), hostsWithAddresses(hosts.toArray(String[]::new))));
    }

    private static Lookup mx(String domain, String... rdata) {
        List<Record> records = new ArrayList<>();
        for (String data : rdata) {
            records.add(record(domain, Type.MX, 3600, data));
        }
        return answer(domain, Type.MX, Rcode.NOERROR, records.toArray(Record[]::new));
    }

    private static Map<DomainName, DomainObservation.HostObservation> hostsWithAddresses(String... hosts) {
        Map<DomainName, DomainObservation.HostObservation> seen = new LinkedHashMap<>();
        for (String host : hosts) {
            seen.put(DomainName.fromDns(host), new DomainObservation.HostObservation(
                    answer(host, Type.A, Rcode.NOERROR, record(host, Type.A, 300, "192.0.2.25")),
                    answer(host, Type.AAAA, Rcode.NOERROR),
                    answer("_25._tcp." + host, Type.TLSA, Rcode.NOERROR)));
        }
        return seen;
    }

    private static DomainObservation observe(String domain, Lookup mx, Map<DomainName, DomainObservation.HostObservation> hosts) {
        return observe(domain, mx, null, hosts);
    }

    private static DomainObservation observe(String domain, Lookup mx, Lookup zoneMx, Map<DomainName, DomainObservation.HostObservation> hosts) {
        Lookup soa = answer(domain, Type.SOA, Rcode.NOERROR,
                record(domain, Type.SOA, 3600, "ns1.example. hostmaster.example. 1 3600 600 604800 300"));
        Lookup empty = answer(domain, Type.TXT, Rcode.NOERROR);
        return new DomainObservation(DomainName.of(domain), soa, mx, zoneMx, empty, empty, empty, empty, empty, empty, hosts, null);
    }

    private static Lookup answer(String name, int type, int rcode, Record... records) {
        return Lookup.of(new DnsAnswer(Name.fromConstantString(name + "."), type, rcode, List.of(records), false, false, SERVER, 1, ""));
    }

    private static Lookup authoritative(String name, int type, boolean aa, Record... records) {
        return Lookup.of(new DnsAnswer(Name.fromConstantString(name + "."), type, Rcode.NOERROR, List.of(records), aa, true, ZONE_SERVER, 1, ""));
    }

    private static Record record(String owner, int type, long ttl, String rdata) {
        try {
            return Record.fromString(Name.fromConstantString(owner + "."), type, DClass.IN, ttl, rdata, Name.root);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
