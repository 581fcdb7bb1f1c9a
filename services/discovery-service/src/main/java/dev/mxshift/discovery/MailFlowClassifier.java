package dev.mxshift.discovery;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MtaStsSnapshot;
import dev.mxshift.model.event.MxClassification;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pure decision of discovery: what a domain's mail flow is, from what was seen, with a reason a person can act
 * on. No I/O; {@link DomainDiscoverer} gathers the {@link DomainObservation} this judges.
 */
public final class MailFlowClassifier {

    private MailFlowClassifier() {
    }

    public static DiscoveryReport classify(DomainObservation seen) {
        DomainName domain = seen.domain();
        Lookup mx = seen.publishedMx();
        if (!mx.answered()) {
            return DiscoveryReport.failed(domain, null, FailureKind.RETRYABLE,
                    "no answer to the MX query (" + mx.failure() + "); discovery will be retried");
        }
        if (mx.rcode(Rcode.NXDOMAIN) && !mx.answer().lacksAuthority()) {
            return DiscoveryReport.failed(domain, MxClassification.NXDOMAIN, FailureKind.PERMANENT, domain.unicode()
                    + " does not exist in DNS (NXDOMAIN from " + mx.answer().server() + "): check its spelling in the"
                    + " inventory, or whether the domain has lapsed; remove it from the inventory if it is gone");
        }
        if (delegationFails(seen.mx(), seen.soa())) {
            return delegation(seen);
        }
        if (!mx.rcode(Rcode.NOERROR)) {
            return DiscoveryReport.failed(domain, null, FailureKind.RETRYABLE, "the MX query failed (" + mx.describe()
                    + ") while the zone otherwise answers; discovery will be retried");
        }
        List<Record> answer = mx.answer().records();
        for (Record record : answer) {
            if (record instanceof CNAMERecord alias && alias.getName().equals(name(domain))) {
                return snapshot(seen, MxClassification.OTHER, domain.unicode() + " is itself an alias (CNAME to "
                        + text(alias.getTarget()) + "); its mail flow is that name's: migrate that domain instead", null);
            }
        }
        List<MXRecord> records = mx.records().stream().map(MXRecord.class::cast)
                .sorted(Comparator.comparingInt(MXRecord::getPriority).thenComparing(r -> r.getTarget().toString())).toList();
        if (records.isEmpty()) {
            return snapshot(seen, MxClassification.NO_MX, "no MX record: senders deliver to the domain's own address"
                    + " (RFC 5321 section 5.1), not to Exchange Online; publish the legacy MX first if the domain should"
                    + " receive mail there, or leave it out", null);
        }
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            return snapshot(seen, MxClassification.NULL_MX, "a null MX (RFC 7505): the domain accepts no mail;"
                    + " nothing to migrate", null);
        }
        MxRecordSet set;
        try {
            set = mxSet(domain, records, answer);
        } catch (InvalidValueException e) {
            return snapshot(seen, MxClassification.OTHER, "an MX record cannot be used: the record " + e.field() + " from "
                    + mx.answer().server() + " names no valid host (" + e.reason() + "); correct the record at the DNS provider", null);
        }
        for (MxRecord record : set.records()) {
            DomainObservation.HostObservation host = seen.hosts().get(record.exchange());
            String alias = host == null ? null : aliasOf(record.exchange(), host);
            if (alias != null) {
                return snapshot(seen, MxClassification.MX_IS_CNAME, "the MX host " + record.exchange() + " is an alias"
                        + " (CNAME to " + alias + "), which RFC 2181 section 10.3 forbids and DANE cannot authenticate"
                        + " (RFC 7672 section 2.2.2); point the MX at the host name itself", set);
            }
        }
        Map<MxHostKind, List<MxRecord>> kinds = new TreeMap<>();
        for (MxRecord record : set.records()) {
            kinds.computeIfAbsent(record.kind(), k -> new ArrayList<>()).add(record);
        }
        List<MxRecord> legacy = kinds.getOrDefault(MxHostKind.LEGACY_EXCHANGE_ONLINE, List.of());
        List<MxRecord> dane = kinds.getOrDefault(MxHostKind.DANE_EXCHANGE_ONLINE, List.of());
        List<MxRecord> other = kinds.getOrDefault(MxHostKind.OTHER, List.of());
        String unreachable = unreachableHosts(seen, set) + cachedTtl(seen, set, answer);
        if (!legacy.isEmpty() && other.isEmpty() && dane.isEmpty()) {
            return snapshot(seen, MxClassification.LEGACY_EXCHANGE_ONLINE, (legacy.size() == 1 ? "one MX, at Exchange"
                    + " Online's legacy target " + legacy.get(0).exchange() : legacy.size() + " MX records, all at"
                    + " Exchange Online's legacy targets " + hosts(legacy)) + " (TTL " + set.ttl() + " s): eligible;"
                    + " the move needs Microsoft's DnssecMxValue for the new host" + unreachable, set);
        }
        if (legacy.isEmpty() && other.isEmpty()) {
            return snapshot(seen, MxClassification.ALREADY_MIGRATED, "the MX is already at the DNSSEC-signed target "
                    + hosts(dane) + ": nothing to migrate" + unreachable, set);
        }
        if (!legacy.isEmpty() && !other.isEmpty()) {
            return snapshot(seen, MxClassification.LEGACY_WITH_FALLBACK, "the legacy MX " + hosts(legacy)
                    + " has a fallback or secondary MX elsewhere (" + hosts(other) + "); Microsoft's procedure moves a"
                    + " single MX: remove the fallback first (or decide it stays, and move the domain by hand)" + unreachable, set);
        }
        if (legacy.isEmpty() && dane.isEmpty()) {
            return snapshot(seen, MxClassification.THIRD_PARTY_GATEWAY, "mail first reaches " + hosts(other)
                    + ", not Exchange Online: a filtering gateway or an own server sits in front; its delivery to"
                    + " Exchange Online (smart host or connector) is what moves, not the MX" + unreachable, set);
        }
        return snapshot(seen, MxClassification.OTHER, "the MX mixes " + (legacy.isEmpty() ? "" : "the legacy target "
                + hosts(legacy) + ", ") + "the new target " + hosts(dane) + (other.isEmpty() ? "" : " and " + hosts(other))
                + ": a move is half done or hand-made; finish or undo it by hand before mxshift takes the domain" + unreachable, set);
    }

    /** Every answer for the zone failed: the MX and the SOA both SERVFAIL or REFUSED, or came without authority from the server that should serve it. */
    static boolean delegationFails(Lookup mx, Lookup soa) {
        return broken(mx) && (broken(soa) || !soa.answered());
    }

    /**
     * The failing delegation, with its servers named and what each did when asked for the zone (issue 29 item 5): a
     * delegation problem for the registrar or the DNS host, never a DNSSEC verdict. When a named server does serve the
     * zone, the delegation is not lame and the failure was the lookups': a retryable failure naming what each did.
     */
    private static DiscoveryReport delegation(DomainObservation seen) {
        String answers = seen.mx().describe() + "; " + seen.soa().describe();
        String fix = "; fix the NS records at the registrar or load the zone on the servers they name";
        DelegationCheck check = seen.delegation();
        if (check == null) {
            return snapshot(seen, MxClassification.LAME_DELEGATION, "the zone's servers do not answer for it (" + answers
                    + "): the delegation is lame or broken" + fix, null);
        }
        if (check.servers().isEmpty()) {
            return snapshot(seen, MxClassification.LAME_DELEGATION, "the zone's servers do not answer for it (" + answers
                    + "), and the delegation's name servers could not be learned (" + check.serversFrom() + ")" + fix, null);
        }
        if (!check.lame()) {
            return DiscoveryReport.failed(seen.domain(), null, FailureKind.RETRYABLE, "the zone's answers failed (" + answers
                    + ") although a server it is delegated to answers for it: " + check.describe() + "; discovery will be retried");
        }
        String kind = check.refusedOrReferred() ? "lame delegation: " : "broken delegation, no named server answers: ";
        return snapshot(seen, MxClassification.LAME_DELEGATION, kind + check.describe() + fix + " (" + check.serversFrom()
                + "; " + answers + ")", null);
    }

    private static boolean broken(Lookup lookup) {
        if (!lookup.answered()) {
            return false;
        }
        int rcode = lookup.answer().rcode();
        return lookup.answer().lacksAuthority() || rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED || rcode == Rcode.NOTAUTH;
    }

    private static String aliasOf(DomainName host, DomainObservation.HostObservation seen) {
        for (Lookup lookup : List.of(seen.a(), seen.aaaa())) {
            if (lookup.answered()) {
                for (Record record : lookup.answer().records()) {
                    if (record instanceof CNAMERecord alias && text(alias.getName()).equals(host.value())) {
                        return text(alias.getTarget());
                    }
                }
            }
        }
        return null;
    }

    /**
     * A note when the MX TTL is a resolver's count-down: no server of the zone answered and the set carries no
     * signature whose Original TTL would give the zone's (an unsigned zone). The plan would expect a TTL the provider
     * does not hold, and its first write would stop in a conflict.
     */
    private static String cachedTtl(DomainObservation seen, MxRecordSet set, List<Record> answer) {
        if (seen.zoneMx() == null || DomainObservation.fromZone(seen.zoneMx())
                || answer.stream().anyMatch(r -> r instanceof org.xbill.DNS.RRSIGRecord sig && sig.getTypeCovered() == Type.MX)) {
            return "";
        }
        return "; note: the MX TTL (" + set.ttl() + " s) is the resolver's cached count-down, not necessarily the zone's,"
                + " because " + seen.zoneMx().describe() + "; discover the domain again once a server of the zone can be"
                + " asked, or its plan's first write may stop in a conflict";
    }

    private static String unreachableHosts(DomainObservation seen, MxRecordSet set) {
        List<String> none = new ArrayList<>();
        for (MxRecord record : set.records()) {
            DomainObservation.HostObservation host = seen.hosts().get(record.exchange());
            if (host != null && host.a().records().isEmpty() && host.aaaa().records().isEmpty()
                    && host.a().answered() && host.aaaa().answered()) {
                none.add(record.exchange().value());
            }
        }
        return none.isEmpty() ? "" : "; note: " + String.join(", ", none) + " has no address record";
    }

    /**
     * The MX set as the zone publishes it. Its TTL is the one the zone gives it: a resolver answers from its cache
     * with the TTL counted down, so when the answer carries the set's signature the TTL is the signature's Original
     * TTL (RFC 4034 section 3.1.4); a plan's expected-before set must equal what the provider holds, or the first
     * write is refused as a conflict.
     */
    private static MxRecordSet mxSet(DomainName domain, List<MXRecord> records, List<Record> answer) {
        List<MxRecord> mx = new ArrayList<>();
        for (MXRecord record : records) {
            mx.add(new MxRecord(record.getPriority(), exchange(record)));
        }
        long ttl = records.stream().mapToLong(Record::getTTL).min().orElseThrow();
        Name owner = records.get(0).getName();
        long original = answer.stream()
                .filter(r -> r instanceof org.xbill.DNS.RRSIGRecord sig && sig.getTypeCovered() == org.xbill.DNS.Type.MX && sig.getName().equals(owner))
                .mapToLong(r -> ((org.xbill.DNS.RRSIGRecord) r).getOrigTTL()).min().orElse(ttl);
        return new MxRecordSet(domain, Math.max(ttl, original), mx);
    }

    /**
     * The MX record's host, checked as DNS holds host names, not as IDNA 2008 (decision 0005, addendum of 2026-12-06):
     * a legacy host with an unusual label is still legacy. A name that is no host name is refused with its record.
     */
    static DomainName exchange(MXRecord record) {
        try {
            return DomainName.fromDns(text(record.getTarget()));
        } catch (InvalidValueException e) {
            throw new InvalidValueException(record.toString(), text(record.getTarget()), e.reason());
        }
    }

    private static DiscoveryReport snapshot(DomainObservation seen, MxClassification classification, String reason, MxRecordSet mx) {
        List<RecordSet> sets = new ArrayList<>();
        Set<String> answeredBy = new LinkedHashSet<>();
        List<Lookup> lookups = new ArrayList<>(List.of(seen.soa(), seen.publishedMx(), seen.ns(), seen.dnskey(), seen.ds(),
                seen.mtaStsTxt(), seen.tlsRptTxt()));
        seen.hosts().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> lookups.addAll(List.of(e.getValue().a(), e.getValue().aaaa(), e.getValue().tlsa())));
        for (Lookup lookup : lookups) {
            add(sets, lookup.records());
            if (lookup.answered()) {
                answeredBy.add(lookup.answer().server());
            }
        }
        // SPF for the report only; other apex TXT (site verifications) are not the migration's business.
        add(sets, seen.apexTxt().records().stream().filter(r -> rdata(r).toLowerCase(Locale.ROOT).startsWith("\"v=spf1")).toList());
        if (seen.apexTxt().answered()) {
            answeredBy.add(seen.apexTxt().answer().server());
        }
        MtaStsSnapshot mtaSts = null;
        String note = "";
        RecordSet stsTxt = recordSet(seen.mtaStsTxt().records());
        if (stsTxt != null && stsTxt.rdata().stream().anyMatch(r -> r.contains("v=STSv1"))) {
            try {
                mtaSts = new MtaStsSnapshot(stsTxt, seen.mtaStsPolicy() != null ? seen.mtaStsPolicy().policy() : null);
                if (seen.mtaStsPolicy() != null && !seen.mtaStsPolicy().ok()) {
                    note = "; MTA-STS is announced but its policy cannot be fetched: " + seen.mtaStsPolicy().error();
                } else if (mtaSts.policy() != null && mx != null && classification.eligible()) {
                    note = "; MTA-STS policy (" + mtaSts.policy().mode().name().toLowerCase(Locale.ROOT) + ") lists "
                            + String.join(", ", mtaSts.policy().mx());
                }
            } catch (InvalidValueException e) {
                note = "; the _mta-sts record is invalid (" + e.getMessage() + "), so senders ignore it";
            }
        }
        boolean dnskey = !seen.dnskey().records().isEmpty();
        boolean ds = !seen.ds().records().isEmpty();
        DiscoverySnapshot snapshot = new DiscoverySnapshot(classification, reason + note, mx, sets,
                List.copyOf(answeredBy), dnskey, ds, mtaSts);
        return DiscoveryReport.discovered(seen.domain(), snapshot);
    }

    private static void add(List<RecordSet> sets, List<Record> records) {
        RecordSet set = recordSet(records);
        if (set != null) {
            sets.add(set);
        }
    }

    private static RecordSet recordSet(List<Record> records) {
        if (records.isEmpty()) {
            return null;
        }
        Record first = records.get(0);
        List<String> rdata = records.stream().map(MailFlowClassifier::rdata).distinct().toList();
        long ttl = records.stream().mapToLong(Record::getTTL).min().orElseThrow();
        return new RecordSet(text(first.getName()), Type.string(first.getType()), ttl, rdata);
    }

    private static String rdata(Record record) {
        return record.rdataToString();
    }

    static Name name(DomainName domain) {
        return Name.fromConstantString(domain.value() + ".");
    }

    static String text(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        return text.isEmpty() ? "." : text;
    }

    private static String hosts(List<MxRecord> records) {
        return records.stream().map(r -> r.exchange().value()).collect(Collectors.joining(", "));
    }
}
