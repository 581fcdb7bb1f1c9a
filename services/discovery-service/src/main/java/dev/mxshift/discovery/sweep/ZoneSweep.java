package dev.mxshift.discovery.sweep;

import dev.mxshift.model.dns.MxHostKind;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The zone sweep's decision (issue 29, decision 0028): given every record of a zone and the addresses Exchange Online's
 * legacy hosts resolve to now, which records, other than the MX the plan moves, still depend on those hosts. Pure: the
 * caller reads the zone and resolves the hosts.
 *
 * <p>Found: CNAME, DNAME, SRV and MX targets at or under the legacy suffixes ({@link MxHostKind#LEGACY_SUFFIXES}) at any
 * owner; A and AAAA records equal to a legacy address; SPF {@code ip4:}/{@code ip6:} equal to a legacy address and
 * {@code a:}/{@code mx:} naming a legacy host. Quiet, because each stays valid after the move: the SPF include of
 * {@code spf.protection.outlook.com} (Exchange Online's outbound), {@code autodiscover.outlook.com} aliases, Microsoft's
 * verification TXT ({@code MS=ms...}), DKIM selector CNAMEs to {@code onmicrosoft.com}, anything under
 * {@code mx.microsoft}; and the legacy hosts' own records (an owner under a legacy suffix is the host, not a copy).
 */
public final class ZoneSweep {

    private static final List<Name> LEGACY_DOMAINS = MxHostKind.LEGACY_SUFFIXES.stream().map(s -> name(s.substring(1))).toList();
    private static final Name DANE_DOMAIN = name(MxHostKind.DANE_SUFFIX.substring(1));

    private ZoneSweep() {
    }

    /**
     * @param zone            the zone's apex
     * @param records         every record of the zone
     * @param legacyAddresses the addresses each legacy host resolves to now
     * @param plannedDomains  domains of this zone whose apex MX the migration plans, with their mx.microsoft host where
     *                        known (null value: unknown); the zone's apex MX is always the plan's
     */
    public static List<SweepFinding> sweep(Name zone, List<Record> records, Map<Name, List<InetAddress>> legacyAddresses,
                                           Map<Name, Name> plannedDomains) {
        Map<InetAddress, Name> byAddress = byAddress(legacyAddresses, legacyHostsNamed(records));
        Set<Name> planned = new LinkedHashSet<>(plannedDomains.keySet());
        planned.add(zone);
        Optional<Name> apexTarget = records.stream().filter(r -> r instanceof MXRecord && r.getName().equals(zone))
                .map(r -> ((MXRecord) r).getTarget()).filter(t -> t.subdomain(DANE_DOMAIN) && !t.equals(DANE_DOMAIN)).findFirst();
        List<SweepFinding> findings = new ArrayList<>();
        for (Record record : records) {
            if (isLegacy(record.getName())) {
                continue; // the legacy host's own records (Microsoft's zone, or a lab serving it)
            }
            Name owner = record.getName();
            String target = targetFor(owner, plannedDomains, apexTarget);
            Finder found = new Finder(zone, record, findings);
            if (record instanceof CNAMERecord cname && isLegacy(cname.getTarget())) {
                found.add(SweepFinding.Kind.ALIAS, cname.getTarget(),
                        show(owner) + " is an alias of Exchange Online's legacy inbound host " + show(cname.getTarget()) + ": whatever sends"
                                + " through this name (devices, applications, connectors) keeps using the legacy host after the MX has moved,"
                                + " and stops when Microsoft retires it",
                        target == null ? "alias " + show(owner) + " to the domain's mx.microsoft host (Microsoft 365 shows it as the"
                                + " domain's new MX value)" : "alias " + show(owner) + " to the domain's mx.microsoft host " + target,
                        SweepFinding.Confidence.CERTAIN);
            } else if (record instanceof DNAMERecord dname && isLegacy(dname.getTarget())) {
                found.add(SweepFinding.Kind.DNAME, dname.getTarget(),
                        "every name below " + show(owner) + " is an alias of a name under " + show(dname.getTarget())
                                + ", Exchange Online's legacy inbound hosts: they keep resolving there after the MX has moved",
                        "replace the DNAME with a CNAME for each name in use below " + show(owner) + ", to the domain's mx.microsoft host"
                                + (target == null ? "" : " " + target),
                        SweepFinding.Confidence.CERTAIN);
            } else if (record instanceof SRVRecord srv && isLegacy(srv.getTarget())) {
                found.add(SweepFinding.Kind.SRV, srv.getTarget(),
                        "the service " + show(owner) + " is offered at Exchange Online's legacy inbound host " + show(srv.getTarget())
                                + ": its clients keep connecting there after the MX has moved",
                        "set the SRV target to the domain's mx.microsoft host" + (target == null ? "" : " " + target),
                        SweepFinding.Confidence.CERTAIN);
            } else if (record instanceof MXRecord mx && isLegacy(mx.getTarget()) && !planned.contains(owner)) {
                found.add(SweepFinding.Kind.OTHER_MX, mx.getTarget(),
                        "mail for " + show(owner) + " goes to the legacy host " + show(mx.getTarget()) + ", and " + show(owner)
                                + " is not in the migration inventory: its MX is not moved with the zone's",
                        "add " + show(owner) + " to the inventory, with its own mx.microsoft host from Microsoft 365, so mxshift moves"
                                + " its MX with the same checks (it is a domain of its own to Exchange Online)",
                        SweepFinding.Confidence.CERTAIN);
            } else if (record instanceof ARecord a) {
                address(found, owner, a.getAddress(), byAddress, target);
            } else if (record instanceof AAAARecord aaaa) {
                address(found, owner, aaaa.getAddress(), byAddress, target);
            } else if (record instanceof TXTRecord txt) {
                spf(found, txt, byAddress);
            }
        }
        findings.sort(Comparator.comparing(SweepFinding::owner).thenComparing(SweepFinding::type).thenComparing(SweepFinding::rdata));
        return List.copyOf(findings);
    }

    /**
     * The legacy host names a zone's records name (MX, CNAME, DNAME, SRV targets and SPF {@code a:}/{@code mx:}), the
     * apex MX included: the hosts whose addresses the sweep must know to recognise a hard-coded copy.
     */
    public static Set<Name> legacyHostsNamed(List<Record> records) {
        Set<Name> hosts = new LinkedHashSet<>();
        for (Record record : records) {
            Name target = record instanceof CNAMERecord r ? r.getTarget() : record instanceof MXRecord r ? r.getTarget()
                    : record instanceof SRVRecord r ? r.getTarget() : null;
            if (target != null && isLegacy(target) && !LEGACY_DOMAINS.contains(target)) {
                hosts.add(target);
            }
            if (record instanceof TXTRecord txt) {
                for (String term : spfTerms(txt)) {
                    spfHost(term).filter(h -> isLegacy(h) && !LEGACY_DOMAINS.contains(h)).ifPresent(hosts::add);
                }
            }
        }
        return hosts;
    }

    /**
     * Each address with the legacy host to name for it: one the zone itself names where it has the address (the host
     * the record was most likely copied from), else the first in name order.
     */
    private static Map<InetAddress, Name> byAddress(Map<Name, List<InetAddress>> legacyAddresses, Set<Name> named) {
        Map<InetAddress, Name> byAddress = new java.util.HashMap<>();
        legacyAddresses.keySet().stream().sorted(Comparator.comparing((Name host) -> !named.contains(host)).thenComparing(Comparator.naturalOrder()))
                .forEach(host -> legacyAddresses.get(host).forEach(address -> byAddress.putIfAbsent(address, host)));
        return byAddress;
    }

    /** At or under one of the legacy suffixes' domains ({@code mail.protection.outlook.com} itself included). */
    public static boolean isLegacy(Name name) {
        return LEGACY_DOMAINS.stream().anyMatch(name::subdomain);
    }

    private static void address(Finder found, Name owner, InetAddress address, Map<InetAddress, Name> legacyAddresses, String target) {
        Name host = legacyAddresses.get(address);
        if (host == null) {
            return;
        }
        found.add(SweepFinding.Kind.HARD_CODED_ADDRESS, host,
                show(owner) + " holds " + address.getHostAddress() + ", an address of Exchange Online's legacy inbound host " + show(host)
                        + " now: a copy that does not follow Microsoft's changes and stops answering when the legacy hosts are retired",
                "replace the hard-coded address with a CNAME to the domain's mx.microsoft host" + (target == null ? "" : " " + target)
                        + " (where " + show(owner) + " holds other records and cannot be an alias, point what uses it at that host)",
                SweepFinding.Confidence.LIKELY);
    }

    private static void spf(Finder found, TXTRecord txt, Map<InetAddress, Name> legacyAddresses) {
        for (String term : spfTerms(txt)) {
            String mechanism = term.replaceFirst("^[+?~-]", "").toLowerCase(Locale.ROOT);
            if (mechanism.startsWith("ip4:") || mechanism.startsWith("ip6:")) {
                String[] parts = mechanism.substring(4).split("/", 2);
                boolean single = parts.length == 1 || parts[1].equals(mechanism.startsWith("ip4:") ? "32" : "128");
                Optional<InetAddress> address = literal(parts[0]);
                Name host = address.filter(a -> single).map(legacyAddresses::get).orElse(null);
                if (host != null) {
                    found.add(SweepFinding.Kind.SPF_ADDRESS_PIN, host,
                            "the SPF record authorises " + address.get().getHostAddress() + " (" + term + "), an address of the legacy"
                                    + " inbound host " + show(host) + ": a pin that goes stale, or authorises someone else, when Microsoft"
                                    + " retires or reassigns it",
                            "remove " + term + " from the SPF record; Exchange Online's outbound mail is covered by"
                                    + " include:spf.protection.outlook.com",
                            SweepFinding.Confidence.LIKELY);
                }
            } else {
                spfHost(term).filter(ZoneSweep::isLegacy).ifPresent(host -> found.add(SweepFinding.Kind.SPF_HOST_PIN, host,
                        "the SPF record names the legacy inbound host " + show(host) + " (" + term + "): once it is retired the lookup"
                                + " finds nothing (a void lookup, RFC 7208 section 4.6.4), and its addresses were never Exchange Online's"
                                + " outbound ones",
                        "remove " + term + " from the SPF record; Exchange Online's outbound mail is covered by"
                                + " include:spf.protection.outlook.com",
                        SweepFinding.Confidence.CERTAIN));
            }
        }
    }

    /** The terms of an SPF record (RFC 7208 section 3.3: the strings joined without spaces), or none for another TXT. */
    private static List<String> spfTerms(TXTRecord txt) {
        String text = String.join("", txt.getStrings()).trim();
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.equals("v=spf1") && !lower.startsWith("v=spf1 ")) {
            return List.of();
        }
        List<String> terms = new ArrayList<>(List.of(text.split("\\s+")));
        terms.remove(0);
        return terms;
    }

    /** The domain of an {@code a:} or {@code mx:} mechanism, without its CIDR lengths; macros and bad names give none. */
    private static Optional<Name> spfHost(String term) {
        String mechanism = term.replaceFirst("^[+?~-]", "");
        String lower = mechanism.toLowerCase(Locale.ROOT);
        int colon = lower.startsWith("a:") ? 2 : lower.startsWith("mx:") ? 3 : -1;
        if (colon < 0) {
            return Optional.empty();
        }
        String domain = mechanism.substring(colon).split("/", 2)[0];
        if (domain.isEmpty() || domain.contains("%")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Name.fromString(domain.endsWith(".") ? domain : domain + "."));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> literal(String text) {
        // Only literals: InetAddress.getByName on a name would query DNS.
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The mx.microsoft host for an owner: of the planned domain it is at or under (the closest), else the zone's apex MX. */
    private static String targetFor(Name owner, Map<Name, Name> plannedDomains, Optional<Name> apexTarget) {
        Name best = null;
        for (Map.Entry<Name, Name> planned : plannedDomains.entrySet()) {
            if (planned.getValue() != null && owner.subdomain(planned.getKey())
                    && (best == null || planned.getKey().labels() > best.labels())) {
                best = planned.getKey();
            }
        }
        return best != null ? show(plannedDomains.get(best)) : apexTarget.map(ZoneSweep::show).orElse(null);
    }

    private static String show(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Adds findings for one record. */
    private record Finder(Name zone, Record record, List<SweepFinding> findings) {
        void add(SweepFinding.Kind kind, Name legacy, String why, String fix, SweepFinding.Confidence confidence) {
            findings.add(new SweepFinding(show(zone), show(record.getName()), Type.string(record.getType()), record.getTTL(),
                    record.rdataToString(), kind, show(legacy), why, fix, confidence));
        }
    }
}
