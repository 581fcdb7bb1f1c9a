package dev.mxshift.lab;

import dev.mxshift.model.dns.DomainName;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lab's DNS, built from scenarios: a signed root and TLDs, the unsigned legacy Exchange Online zones
 * ({@code outlook.com}, {@code outlook.de}), the signed {@code mx.microsoft} tree with its per-letter
 * sub-zones, and one zone per tenant. Pure: it returns zones and delegations; loading and serving is done by
 * {@link PowerDnsStore} and {@link BindServer}.
 */
public final class LabInternet {

    public static final long TTL = 3600;
    public static final List<String> TARGET_LETTERS = List.of("e", "h", "i", "o", "r");
    public static final Name NS_POWERDNS = name("ns1.lab-dns.net.");
    public static final Name NS_BIND = name("bind.lab-dns.net.");
    public static final Name NS_LAME = name("lame.lab-dns.net.");
    /** The registries' server: the root and every TLD (a second PowerDNS instance, {@link LabLayout#registryAddress()}). */
    public static final Name NS_REGISTRY = name("registry.lab-dns.net.");
    /** Another DNS provider's server, which no lab connector reaches; it answers at BIND's address but holds none of the zones naming it. */
    public static final Name NS_FOREIGN = name("ns1.other-provider.net.");
    public static final Name GATEWAY_HOST = name("mx1.gateway-filter.net.");

    /** A tenant domain of the lab with the hosts its scenario resolved to. */
    public record Tenant(ScenarioSpec spec, DomainName domain, Name zone, Name legacyHost, Name targetHost) {

        /**
         * The {@code mx} patterns of the tenant's MTA-STS policy, with the scenario's {@code legacy} and {@code target}
         * standing for this tenant's own hosts (so a synthetic tenant lists its own hosts, not its template's).
         */
        public java.util.List<String> mtaStsPatterns() {
            return spec.mtaSts().mx().stream().map(p -> switch (p) {
                case "legacy" -> legacyHost.toString(true);
                case "target" -> targetHost == null ? p : targetHost.toString(true);
                default -> p;
            }).toList();
        }

    }

    private final LabLayout layout;
    private final LabPki pki;
    private final Map<Name, LabZone> zones = new TreeMap<>();
    private final Map<Name, List<Record>> delegationsByParent = new LinkedHashMap<>();
    private final List<Tenant> tenants = new ArrayList<>();
    /** Zones a BIND server holds, which Unbound reaches through stub zones (their servers are not on port 53). */
    private final List<Name> bindZones = new ArrayList<>();
    /** Delegated to a server that does not serve them. */
    private final List<Name> lameZones = new ArrayList<>();
    /** The registry policy of each TLD that declares one; a TLD without one is a manual registry. */
    private final Map<Name, RegistryPolicy> registries = new LinkedHashMap<>();
    /** Signed zones whose DS the parent must publish, with the key to derive it from (set by the caller for BIND). */
    private final Map<Name, String> dsPolicy = new LinkedHashMap<>();

    private LabInternet(LabLayout layout, LabPki pki) {
        this.layout = layout;
        this.pki = pki;
    }

    public static LabInternet build(LabLayout layout, LabPki pki, List<ScenarioSpec> scenarios) {
        return build(layout, pki, scenarios, List.of());
    }

    /** As {@link #build(LabLayout, LabPki, List)}, with a registry (a TLD zone) for each policy besides the built-in TLDs. */
    public static LabInternet build(LabLayout layout, LabPki pki, List<ScenarioSpec> scenarios, List<RegistryPolicy> registries) {
        LabInternet internet = new LabInternet(layout, pki);
        registries.forEach(r -> internet.registries.put(name(r.tld() + "."), r));
        internet.infrastructure();
        for (ScenarioSpec spec : scenarios) {
            internet.tenant(spec);
        }
        internet.delegateEverything();
        return internet;
    }

    public List<LabZone> zones() {
        return List.copyOf(zones.values());
    }

    public LabZone zone(Name origin) {
        return zones.get(origin);
    }

    public List<Tenant> tenants() {
        return List.copyOf(tenants);
    }

    public List<Name> bindZones() {
        return List.copyOf(bindZones);
    }

    public List<Name> lameZones() {
        return List.copyOf(lameZones);
    }

    /** "ds" (publish the zone's DS), "none" (no DS: insecure), "mismatch" (a DS that matches no key: bogus). */
    public String dsPolicy(Name zone) {
        return dsPolicy.getOrDefault(zone, "none");
    }

    // --- infrastructure ---

    private void infrastructure() {
        powerDnsZone(Name.root, LabZone.Signing.SIGNED, "ds");
        for (String tld : List.of("com", "net", "org", "de", "microsoft")) {
            powerDnsZone(name(tld + "."), LabZone.Signing.SIGNED, "ds");
        }
        for (Name tld : registries.keySet()) {
            if (!zones.containsKey(tld)) {
                powerDnsZone(tld, LabZone.Signing.SIGNED, "ds");
            }
        }
        LabZone labDns = powerDnsZone(name("lab-dns.net."), LabZone.Signing.SIGNED, "ds");
        labDns.add(a(NS_POWERDNS, layout.powerDnsAddress()));
        labDns.add(a(NS_BIND, layout.bindAddress()));
        labDns.add(a(NS_REGISTRY, layout.registryAddress()));
        // A lame delegation points at a server that answers but is not authoritative for the zone: here BIND.
        labDns.add(a(NS_LAME, layout.bindAddress()));
        // Exchange Online's legacy zones are not signed (mail-facts: "unsigned zone, no TLSA").
        powerDnsZone(name("outlook.com."), LabZone.Signing.UNSIGNED, "none");
        powerDnsZone(name("outlook.de."), LabZone.Signing.UNSIGNED, "none");
        powerDnsZone(name("mx.microsoft."), LabZone.Signing.SIGNED, "ds");
        for (String letter : TARGET_LETTERS) {
            powerDnsZone(name(letter + "-v1.mx.microsoft."), LabZone.Signing.SIGNED, "ds");
        }
        LabZone otherProvider = powerDnsZone(name("other-provider.net."), LabZone.Signing.SIGNED, "ds");
        otherProvider.add(a(NS_FOREIGN, layout.bindAddress()));
        LabZone gateway = powerDnsZone(name("gateway-filter.net."), LabZone.Signing.SIGNED, "ds");
        gateway.add(a(GATEWAY_HOST, layout.smtpLegacyAddress()));
    }

    // --- tenants ---

    private void tenant(ScenarioSpec spec) {
        if (spec.domain() == null) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "' has no domain");
        }
        DomainName domain = DomainName.of(spec.domain());
        Name zone = name(domain.value() + ".");
        String key = spec.legacyKey() != null ? spec.legacyKey() : domain.value().replace('.', '-');
        Name legacy = name(key + ".mail.protection.outlook.com.");
        checkHost(spec, "legacy host", legacy);
        Name target = null;
        if (spec.target() != null) {
            String letter = spec.target().letter() == null ? "o" : spec.target().letter();
            if (!TARGET_LETTERS.contains(letter)) {
                throw new IllegalArgumentException("scenario '" + spec.name() + "': target letter '" + letter + "' is not one of " + TARGET_LETTERS);
            }
            String targetKey = spec.target().key() != null ? spec.target().key() : domain.value().replace('.', '-');
            target = name(targetKey + "." + letter + "-v1.mx.microsoft.");
            checkHost(spec, "target host", target);
            targetHost(target, spec);
        }
        tenants.add(new Tenant(spec, domain, zone, legacy, target));
        legacyHost(key);

        String tld = domain.value().substring(domain.value().lastIndexOf('.') + 1);
        if (!zones.containsKey(name(tld + "."))) {
            powerDnsZone(name(tld + "."), LabZone.Signing.SIGNED, "ds");
        }
        switch (spec.hosting()) {
            case "none" -> {
                return; // never delegated: the name does not exist
            }
            case "lame" -> {
                addDelegation(zone, List.of(NS_LAME), "none");
                lameZones.add(zone);
                return;
            }
            case "powerdns", "bind", "both", "foreign-ns" -> {
            }
            default -> throw new IllegalArgumentException("scenario '" + spec.name() + "': hosting '" + spec.hosting()
                    + "' is not one of powerdns, bind, both, foreign-ns, lame, none");
        }
        boolean bind = spec.hosting().equals("bind");
        LabZone.Signing signing;
        String ds;
        switch (spec.dnssec()) {
            case "signed" -> { signing = LabZone.Signing.SIGNED; ds = "ds"; }
            case "unsigned" -> { signing = LabZone.Signing.UNSIGNED; ds = "none"; }
            case "signed-no-ds" -> { signing = LabZone.Signing.SIGNED; ds = "none"; }
            case "bogus-ds-mismatch" -> { signing = LabZone.Signing.SIGNED; ds = "mismatch"; }
            case "bogus-expired" -> { signing = LabZone.Signing.EXPIRED_SIGNATURES; ds = "ds"; bind = true; }
            case "bogus-missing-rrsig" -> { signing = LabZone.Signing.MISSING_MX_SIGNATURE; ds = "ds"; bind = true; }
            default -> throw new IllegalArgumentException("scenario '" + spec.name() + "': dnssec '" + spec.dnssec()
                    + "' is not one of signed, unsigned, signed-no-ds, bogus-ds-mismatch, bogus-expired, bogus-missing-rrsig");
        }
        LabZone tenantZone = new LabZone(zone, bind ? LabZone.Server.BIND : LabZone.Server.POWERDNS, signing);
        apex(tenantZone, bind ? NS_BIND : NS_POWERDNS);
        if (spec.hosting().equals("both") && !bind) {
            tenantZone.withSecondaryOnBind();
            tenantZone.add(record(zone, Type.NS, NS_BIND.toString()));
        }
        if (spec.hosting().equals("foreign-ns") && !bind) {
            tenantZone.withForeignNameServer();
            tenantZone.add(record(zone, Type.NS, NS_FOREIGN.toString()));
        }
        zones.put(zone, tenantZone);
        dsPolicy.put(zone, ds);
        if (bind) {
            bindZones.add(zone);
        }
        for (String mx : spec.mx()) {
            tenantZone.add(mxRecord(spec, zone, mx, legacy, target));
        }
        boolean ownSpf = spec.records().stream().anyMatch(r -> r.trim().matches("(?i)@\\s+TXT\\s+\"v=spf1[ \"].*"));
        if (!ownSpf) {
            tenantZone.add(record(zone, Type.TXT, "\"v=spf1 include:spf.protection.outlook.com -all\""));
        }
        for (String line : spec.records()) {
            tenantZone.add(extraRecord(spec, zone, line, legacy, target));
        }
        if (spec.mtaSts() != null) {
            tenantZone.add(record(name("_mta-sts." + zone), Type.TXT, "\"v=STSv1; id=" + spec.name().replace("-", "") + "1\""));
            tenantZone.add(a(name("mta-sts." + zone), layout.mtaStsAddress()));
            tenantZone.add(record(name("_smtp._tls." + zone), Type.TXT, "\"v=TLSRPTv1; rua=mailto:tls-reports@" + domain.value() + "\""));
        }
    }

    private Record mxRecord(ScenarioSpec spec, Name zone, String mx, Name legacy, Name target) {
        String[] parts = mx.trim().split("\\s+");
        if (parts.length == 1 && parts[0].equals("null")) {
            return record(zone, Type.MX, "0 ."); // RFC 7505
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "': mx '" + mx + "' must be 'PREFERENCE HOST-OR-TOKEN'");
        }
        String key = legacy.getLabelString(0);
        Name host = switch (parts[1]) {
            case "legacy" -> legacy;
            case "legacy-eo" -> name(key + ".mail.eo.outlook.com.");
            case "legacy-de" -> name(key + ".mail.protection.outlook.de.");
            case "gateway" -> GATEWAY_HOST;
            case "target" -> {
                if (target == null) {
                    throw new IllegalArgumentException("scenario '" + spec.name() + "': mx uses 'target' but no target is declared");
                }
                yield target;
            }
            case "alias" -> name("mail." + zone);
            default -> name(parts[1].endsWith(".") ? parts[1] : parts[1] + ".");
        };
        if (parts[1].equals("alias")) {
            pendingAliases.put(name("mail." + zone), legacy);
        }
        return record(zone, Type.MX, parts[0] + " " + host);
    }

    private final Map<Name, Name> pendingAliases = new LinkedHashMap<>();

    /** One of a scenario's {@code records}: {@code OWNER TYPE RDATA}, with its tokens replaced (see {@link ScenarioSpec}). */
    private Record extraRecord(ScenarioSpec spec, Name zone, String line, Name legacy, Name target) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length != 3 || Type.value(parts[1]) < 0) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "': record '" + line + "' must be 'OWNER TYPE RDATA' with a known type");
        }
        if (line.contains("{target}") && target == null) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "': record '" + line + "' uses {target} but no target is declared");
        }
        String rdata = parts[2].replace("{legacy}", legacy.toString()).replace("{legacy-address}", layout.smtpLegacyAddress())
                .replace("{target}", target == null ? "" : target.toString()).replace("{zone}", zone.toString());
        Name owner = parts[0].equals("@") ? zone : parts[0].endsWith(".") ? name(parts[0]) : name(parts[0] + "." + zone);
        if (!owner.subdomain(zone)) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "': record '" + line + "' is outside the zone " + zone);
        }
        return record(owner, Type.value(parts[1]), rdata);
    }

    /** A host the lab publishes must be a valid host name, as mxshift will parse it (IDNA 2008, LDH). */
    private static void checkHost(ScenarioSpec spec, String what, Name host) {
        try {
            // A host name as DNS carries it, not IDNA 2008: a legacy key like ab--cd-com is what discovery must meet.
            DomainName.fromDns(host.toString(true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scenario '" + spec.name() + "': " + what + " " + host + " is not a valid host name ("
                    + e.getMessage() + "); give the key explicitly (legacy-key, target.key)", e);
        }
    }

    private void legacyHost(String key) {
        zones.get(name("outlook.com.")).add(a(name(key + ".mail.protection.outlook.com."), layout.smtpLegacyAddress()));
        zones.get(name("outlook.com.")).add(a(name(key + ".mail.eo.outlook.com."), layout.smtpLegacyAddress()));
        zones.get(name("outlook.de.")).add(a(name(key + ".mail.protection.outlook.de."), layout.smtpLegacyAddress()));
    }

    private void targetHost(Name host, ScenarioSpec spec) {
        LabZone zone = zones.get(new Name(host, 1));
        boolean mismatchEndpoint = "mismatch".equals(spec.target().endpoint());
        zone.add(a(host, mismatchEndpoint ? layout.smtpMismatchAddress() : layout.smtpGoodAddress()));
        Name tlsaOwner = name("_25._tcp." + host);
        String leaf = pki.target().spkiSha256();
        String ca = LabPki.spkiSha256(pki.ca().certificate());
        String tlsa = spec.target().tlsa() == null ? "match" : spec.target().tlsa();
        switch (tlsa) {
            case "match" -> {
                // The recommended rollover pair: DANE-EE of the server key and DANE-TA of the issuing CA (RFC 7671 section 8.1).
                zone.add(record(tlsaOwner, Type.TLSA, "3 1 1 " + leaf));
                zone.add(record(tlsaOwner, Type.TLSA, "2 1 1 " + ca));
            }
            case "mismatch" -> zone.add(record(tlsaOwner, Type.TLSA, "3 1 1 " + HexFormat.of().formatHex(new byte[32]).replace('0', 'a')));
            case "pkix-only" -> {
                zone.add(record(tlsaOwner, Type.TLSA, "1 1 1 " + leaf));
                zone.add(record(tlsaOwner, Type.TLSA, "0 1 1 " + ca));
            }
            case "none" -> {
            }
            default -> throw new IllegalArgumentException("scenario '" + spec.name() + "': target tlsa '" + tlsa
                    + "' is not one of match, mismatch, pkix-only, none");
        }
    }

    // --- delegations ---

    private void delegateEverything() {
        pendingAliases.forEach((alias, legacy) -> zones.get(new Name(alias, 1)).add(record(alias, Type.CNAME, legacy.toString())));
        for (LabZone zone : zones.values()) {
            if (zone.origin().equals(Name.root)) {
                continue;
            }
            List<Name> ns = zone.server() == LabZone.Server.BIND ? List.of(NS_BIND)
                    : zone.server() == LabZone.Server.REGISTRY ? List.of(NS_REGISTRY)
                    : zone.secondaryOnBind() ? List.of(NS_POWERDNS, NS_BIND)
                    : zone.foreignNameServer() ? List.of(NS_POWERDNS, NS_FOREIGN) : List.of(NS_POWERDNS);
            addDelegation(zone.origin(), ns, dsPolicy(zone.origin()));
        }
    }

    /** Marks a delegation; the DS records themselves are added by {@link #parentDsRecords} once keys are known. */
    private void addDelegation(Name child, List<Name> nameServers, String ds) {
        LabZone parent = parentOf(child);
        for (Name ns : nameServers) {
            parent.add(record(child, Type.NS, ns.toString()));
        }
        dsPolicy.put(child, ds);
    }

    public LabZone parentOf(Name child) {
        for (int labels = child.labels() - 1; labels >= 1; labels--) {
            Name candidate = new Name(child, child.labels() - labels);
            LabZone zone = zones.get(candidate);
            if (zone != null && !candidate.equals(child)) {
                return zone;
            }
        }
        throw new IllegalStateException("no parent zone for " + child);
    }

    /**
     * Adds each signed child's DS to its parent, from the key that signs the child: the real digest, or for a
     * "mismatch" scenario a digest of the right shape that matches no key (RFC 4035 section 5.2: bogus).
     */
    public void publishDs(java.util.function.Function<Name, org.xbill.DNS.DNSKEYRecord> keyOf) {
        dsPolicy.forEach((child, policy) -> {
            if (policy.equals("none") || child.equals(Name.root) || !zones.containsKey(child)) {
                return;
            }
            org.xbill.DNS.DNSKEYRecord key = keyOf.apply(child);
            long ttl = dsTtl(child);
            org.xbill.DNS.DSRecord ds = new org.xbill.DNS.DSRecord(child, DClass.IN, ttl, org.xbill.DNS.DNSSEC.Digest.SHA256, key);
            if (policy.equals("mismatch")) {
                byte[] wrong = new byte[32];
                java.util.Arrays.fill(wrong, (byte) 0x5a);
                ds = new org.xbill.DNS.DSRecord(child, DClass.IN, ttl, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), wrong);
            }
            parentOf(child).add(ds);
        });
    }

    /** The registry that runs {@code tld}, if the catalogue declares one. */
    public java.util.Optional<RegistryPolicy> registry(Name tld) {
        return java.util.Optional.ofNullable(registries.get(tld));
    }

    /** The TTL of a child's DS: the lab's compressed one under a CDS-scanning registry, the ordinary hour elsewhere. */
    private long dsTtl(Name child) {
        RegistryPolicy registry = registries.get(parentOf(child).origin());
        return registry != null && registry.scansCds() ? registry.dsTtl() : TTL;
    }

    /** A zone at PowerDNS: the root and the TLDs at the registries' instance, every other at the hosters'. */
    private LabZone powerDnsZone(Name origin, LabZone.Signing signing, String ds) {
        boolean registryZone = origin.labels() <= 2;
        LabZone zone = new LabZone(origin, registryZone ? LabZone.Server.REGISTRY : LabZone.Server.POWERDNS, signing);
        RegistryPolicy registry = registries.get(origin);
        if (registry != null) {
            // RFC 2308: a resolver caches "no DS here" for the SOA minimum (and Unbound keeps the zone below marked
            // insecure as long as that proof's NSEC TTL, whatever its negative cache's cap); the lab's one-hour wait is
            // 3.6 s, so a resolver must notice a DS within seconds, whether the scanner published it or a person (the
            // demo's registrar desk), as it would within the hour for real.
            zone.add(record(origin, Type.SOA, "ns1.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 604800 " + RegistryPolicy.LAB_NEGATIVE_TTL));
            zone.add(record(origin, Type.NS, NS_REGISTRY.toString()));
            zones.put(origin, zone);
            dsPolicy.put(origin, ds);
            return zone;
        }
        apex(zone, registryZone ? NS_REGISTRY : NS_POWERDNS);
        zones.put(origin, zone);
        dsPolicy.put(origin, ds);
        return zone;
    }

    private static void apex(LabZone zone, Name ns) {
        zone.add(record(zone.origin(), Type.SOA, "ns1.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 604800 300"));
        zone.add(record(zone.origin(), Type.NS, ns.toString()));
    }

    static Record a(Name owner, String address) {
        return record(owner, Type.A, address);
    }

    static Record record(Name owner, int type, String rdata) {
        try {
            return Record.fromString(owner, type, DClass.IN, TTL, rdata, Name.root);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad lab record " + owner + " " + Type.string(type) + " " + rdata + ": " + e.getMessage(), e);
        }
    }

    static Name name(String text) {
        try {
            return Name.fromString(text.toLowerCase(Locale.ROOT).endsWith(".") ? text.toLowerCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad lab name '" + text + "': " + e.getMessage(), e);
        }
    }
}
