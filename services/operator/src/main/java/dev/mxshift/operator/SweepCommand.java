package dev.mxshift.operator;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.ZoneReader;
import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.dns.ResolverSettings;
import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.discovery.inventory.InventoryReader;
import dev.mxshift.discovery.inventory.InventoryRow;
import dev.mxshift.discovery.sweep.LegacyAddresses;
import dev.mxshift.discovery.sweep.SweepFinding;
import dev.mxshift.discovery.sweep.ZoneSweep;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The zone sweep (issue 29, decision 0028): reads every zone its connectors can read whole, resolves the legacy hosts
 * they name once each, and prints every record other than the planned MX that still depends on Exchange Online's
 * legacy hosts, with why, the fix and how sure. Reads only; writes nothing anywhere.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find every record, other than the MX the migration moves, that still depends on Exchange Online's legacy",
                "inbound hosts (*.mail.protection.outlook.com, *.mail.eo.outlook.com, *.mail.protection.outlook.de): aliases",
                "(CNAME, DNAME), SRV and other MX targets there; A/AAAA records copied from their addresses; SPF pins",
                "(ip4:/ip6: of their addresses, a:/mx: naming them). Quiet by design: include:spf.protection.outlook.com,",
                "autodiscover.outlook.com aliases, MS=ms... verification TXT, DKIM selector aliases, *.mx.microsoft.",
                "Zones are read whole through the connectors that can (PowerDNS API, AXFR with TSIG for rfc2136 and bind,",
                "zone files, Cloudflare's record listing, Route 53's record-set listing, a webhook's records call); the legacy hosts' addresses are asked of the resolver at sweep time. Nothing is written.",
                "Exit: 0 nothing found, 1 something found, 2 bad arguments, 3 nothing found but a zone or host could not be read."},
        footer = {"", "Connectors file (JSON; settings and secret references as the push service's connectors):",
                "  {\"connectors\": [{\"id\": \"pdns\", \"type\": \"powerdns\", \"settings\": {\"url\": \"http://10.0.0.5:8081/api/v1\",",
                "    \"api-key\": \"env:PDNS_API_KEY\"}},",
                "   {\"id\": \"bind\", \"type\": \"rfc2136\", \"settings\": {\"server\": \"10.0.0.6:53\", \"tsig-key-name\": \"mxshift\",",
                "    \"tsig-secret\": \"file:/etc/mxshift/tsig\"}, \"zones\": [\"example.com\", \"example.net\"]}]}",
                "A connector that cannot list its zones (rfc2136) needs \"zones\"; one that cannot read whole zones is named",
                "as not swept (a webhook whose capabilities declare no records call).", "",
                "Examples:",
                "  sweep --connectors connectors.json --resolver 10.0.0.53 --inventory tenants.csv",
                "  sweep --endpoints infra/lab/run/endpoints.json --format json > findings.json",
                "  sweep --zone-files /etc/bind/zones --zone example.com",
                "  sweep --connectors connectors.json --record      (findings on the event log: status, the API, the report)"})
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--connectors", paramLabel = "FILE", description = "the connectors to read zones through (JSON, see below)")
    Path connectorsFile;

    @Option(names = "--endpoints", paramLabel = "FILE",
            description = "a lab's endpoints.json: its PowerDNS (API) and BIND (AXFR with TSIG) zones, and its resolver")
    Path endpoints;

    @Option(names = "--zone-files", paramLabel = "DIR", description = "a directory of zone files named <zone>.db (repeatable)")
    List<Path> zoneFiles = new ArrayList<>();

    @Option(names = "--connector", paramLabel = "ID", description = "only the zones of this connector (repeatable)")
    Set<String> onlyConnectors = new LinkedHashSet<>();

    @Option(names = "--zone", paramLabel = "ZONE", description = "only this zone (repeatable)")
    Set<String> onlyZones = new LinkedHashSet<>();

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "the migration inventory: its domains' apex MX is the plan's, and their DnssecMxValue names the fix"
                    + " (with --record and no --inventory: the event log's domains)")
    Path inventory;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]", description = "the resolver to ask the legacy hosts' addresses of "
            + "(repeatable; default: --endpoints' resolver, else /etc/resolv.conf)")
    List<String> resolvers = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default) or json")
    String format;

    @Option(names = "--record", description = "also record the findings on the event log, as discovery facts of the domains of the"
            + " swept zones (LegacyReferencesFound; only where they changed since the last sweep recorded them), for status, the API"
            + " and the report")
    boolean record;

    @Option(names = "--record-wait-seconds", paramLabel = "S", defaultValue = "30",
            description = "with --record: how long to wait for the state topic to show each recorded event (default ${DEFAULT-VALUE})")
    int recordWaitSeconds;

    /** Where --record appends (read only with --record). */
    @picocli.CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--zones-in-flight", paramLabel = "N", defaultValue = "4",
            description = "zones read at once (default ${DEFAULT-VALUE}; each connector's own limits apply as well)")
    int zonesInFlight;

    @Spec
    CommandSpec spec;

    /** One zone as read: its records (the types the sweep looks at), or why it could not be read. */
    record ZoneRead(String connector, String zone, List<Record> records, String problem) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be text or json, not '" + format + "'");
        }
        if (connectorsFile == null && endpoints == null && zoneFiles.isEmpty()) {
            throw new IllegalArgumentException("name the zones' sources: --connectors FILE, --endpoints FILE or --zone-files DIR (see --help)");
        }
        if (zonesInFlight < 1) {
            throw new IllegalArgumentException("--zones-in-flight must be at least 1");
        }
        Map<Name, Map<Name, Name>> planned = inventory != null ? planned(inventory, err) : record ? plannedOnTheLog() : Map.of();
        try (SweepSources.Opened opened = SweepSources.open(new SweepSources.Config(connectorsFile, endpoints, zoneFiles), new ConnectorRegistry())) {
            List<SweepSources.Source> sources = new ArrayList<>(opened.sources());
            sources.removeIf(s -> !onlyConnectors.isEmpty() && !onlyConnectors.contains(s.id()));
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("no connector left to sweep: --connector " + onlyConnectors + " names none of them");
            }
            return sweep(sources, planned, out, err);
        }
    }

    private int sweep(List<SweepSources.Source> sources, Map<Name, Map<Name, Name>> planned, PrintWriter out, PrintWriter err)
            throws Exception {
        long started = System.nanoTime();
        List<String> notSwept = new ArrayList<>();
        List<ZoneRead> reads = read(sources, notSwept, err);

        Set<Name> hosts = new LinkedHashSet<>();
        reads.stream().filter(r -> r.problem() == null).forEach(r -> hosts.addAll(ZoneSweep.legacyHostsNamed(r.records())));
        LegacyAddresses addresses;
        try (DnsClient dns = new DnsClient(resolverSettings())) {
            addresses = new LegacyAddresses(dns);
            addresses.resolve(hosts);
        }

        Map<ZoneRead, List<SweepFinding>> found = new LinkedHashMap<>();
        Map<String, List<SweepFinding>> swept = new LinkedHashMap<>();
        int findings = 0;
        for (ZoneRead read : reads) {
            if (read.problem() != null) {
                continue;
            }
            Name zone = name(read.zone());
            List<SweepFinding> zoneFindings = ZoneSweep.sweep(zone, read.records(), addresses.byHost(), planned.getOrDefault(zone, Map.of()));
            swept.computeIfAbsent(read.zone(), z -> new ArrayList<>()).addAll(zoneFindings);
            if (!zoneFindings.isEmpty()) {
                found.put(read, zoneFindings);
                findings += zoneFindings.size();
            }
        }
        List<ZoneRead> unreadable = reads.stream().filter(r -> r.problem() != null).toList();
        long took = (System.nanoTime() - started) / 1_000_000;
        String summary = "sweep: " + plural(reads.size() - unreadable.size(), "zone", "zones") + " read, " + addresses.hostsAsked()
                + " legacy hosts resolved (each once; " + plural(addresses.byAddress().size(), "address", "addresses") + "), "
                + plural(findings, "finding", "findings") + " in " + plural(found.size(), "zone", "zones") + (unreadable.isEmpty() ? "" : ", " + unreadable.size() + " zones not read")
                + (addresses.failures().isEmpty() ? "" : ", " + addresses.failures().size() + " hosts not resolved") + ", in " + took + " ms";
        if (format.equals("json")) {
            out.println(Json.write(json(found, unreadable, notSwept, addresses, reads.size() - unreadable.size(), findings)));
        } else {
            found.forEach((read, list) -> {
                out.println(read.zone() + " (" + read.connector() + "): " + plural(list.size(), "finding", "findings"));
                for (SweepFinding f : list) {
                    out.println("  " + f.record());
                    out.println("      " + f.kind().label() + ", " + f.confidence().name().toLowerCase(Locale.ROOT)
                            + ": " + f.why());
                    out.println("      fix: " + f.fix());
                }
            });
            unreadable.forEach(r -> out.println(r.zone() + " (" + r.connector() + "): not read: " + r.problem()));
            notSwept.forEach(s -> out.println("not swept: " + s));
            addresses.failures().forEach((host, why) -> out.println("not resolved: " + host.toString(true) + ": " + why
                    + " (records copied from its addresses cannot be recognised)"));
            out.println(summary);
        }
        if (format.equals("json")) {
            err.println(summary);
        }
        if (record) {
            (format.equals("json") ? err : out).println(recorded(swept, sources));
        }
        out.flush();
        if (findings > 0) {
            return 1;
        }
        return unreadable.isEmpty() && notSwept.isEmpty() && addresses.failures().isEmpty() ? 0 : 3;
    }

    /** Records the findings of the swept zones on the event log (decision 0028, addendum), and says what it did. */
    private String recorded(Map<String, List<SweepFinding>> swept, List<SweepSources.Source> sources) {
        String source = "sweep through " + String.join(", ", sources.stream().map(SweepSources.Source::id).toList());
        try (EventLog log = kafka.eventLog()) {
            LegacyReferencesRecorder.Recorded r = LegacyReferencesRecorder.record(log, swept, source,
                    dev.mxshift.discovery.inventory.ImportCommand.cliActor(), java.time.Duration.ofSeconds(recordWaitSeconds));
            StringBuilder line = new StringBuilder("recorded on the event log: " + plural(r.recorded(), "domain", "domains")
                    + " with changed findings, " + r.unchanged() + " unchanged");
            if (r.atNoDomain() > 0) {
                line.append(", ").append(plural(r.atNoDomain(), "finding", "findings")).append(" at no domain of the event log (reported here only)");
            }
            r.notRecorded().forEach(n -> line.append(System.lineSeparator()).append("not recorded: ").append(n));
            return line.toString();
        }
    }

    /** Reads the zones of every source, some at once, with a progress line every 2 s on stderr. */
    private List<ZoneRead> read(List<SweepSources.Source> sources, List<String> notSwept, PrintWriter err) throws Exception {
        List<Map.Entry<SweepSources.Source, String>> work = new ArrayList<>();
        for (SweepSources.Source source : sources) {
            if (source.connector().zoneReader().isEmpty()) {
                notSwept.add(source.id() + ": its connector cannot read whole zones");
                continue;
            }
            List<String> zones = source.zones();
            if (zones.isEmpty()) {
                if (!source.connector().capabilities().zoneListing()) {
                    notSwept.add(source.id() + ": its connector cannot list zones; name them (\"zones\" in the connectors file)");
                    continue;
                }
                try {
                    zones = source.connector().listZones();
                } catch (ConnectorException e) {
                    notSwept.add(source.id() + ": listing its zones failed: " + e.getMessage());
                    continue;
                }
            }
            for (String zone : zones) {
                String canonical = zone.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                if (onlyZones.isEmpty() || onlyZones.stream().anyMatch(z -> z.toLowerCase(Locale.ROOT).replaceAll("\\.$", "").equals(canonical))) {
                    work.add(Map.entry(source, canonical));
                }
            }
        }
        AtomicInteger done = new AtomicInteger();
        long[] lastProgress = {System.nanoTime()};
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(zonesInFlight, Math.max(1, work.size())));
        try {
            List<Future<ZoneRead>> futures = new ArrayList<>();
            for (Map.Entry<SweepSources.Source, String> item : work) {
                futures.add(pool.submit(() -> {
                    ZoneRead read = readZone(item.getKey(), item.getValue());
                    int n = done.incrementAndGet();
                    synchronized (lastProgress) {
                        if (System.nanoTime() - lastProgress[0] > 2_000_000_000L) {
                            lastProgress[0] = System.nanoTime();
                            err.println("sweep: " + n + " of " + work.size() + " zones read");
                            err.flush();
                        }
                    }
                    return read;
                }));
            }
            List<ZoneRead> reads = new ArrayList<>();
            for (Future<ZoneRead> future : futures) {
                reads.add(future.get());
            }
            reads.sort(Comparator.comparing(ZoneRead::zone).thenComparing(ZoneRead::connector));
            // A connector that turns out not to read whole zones (a webhook without the records call) is not swept, once.
            String unsupported = ConnectorException.Kind.UNSUPPORTED + ": ";
            Set<String> connectors = new LinkedHashSet<>();
            for (ZoneRead read : reads) {
                if (read.problem() != null && read.problem().startsWith(unsupported) && connectors.add(read.connector())) {
                    notSwept.add(read.problem().substring(unsupported.length())); // the connector's message names it first
                }
            }
            reads.removeIf(r -> r.problem() != null && r.problem().startsWith(unsupported));
            return reads;
        } finally {
            pool.shutdownNow();
        }
    }

    private static final Set<Integer> SWEPT_TYPES = Set.of(Type.A, Type.AAAA, Type.CNAME, Type.DNAME, Type.MX, Type.SRV, Type.TXT);

    private static ZoneRead readZone(SweepSources.Source source, String zone) {
        ZoneReader reader = source.connector().zoneReader().orElseThrow();
        List<RrSet> sets;
        try {
            sets = reader.readZone(zone);
        } catch (ConnectorException e) {
            return new ZoneRead(source.id(), zone, List.of(), e.kind() + ": " + e.getMessage());
        }
        // Only the types the sweep looks at are kept: a hoster's whole estate is held until the legacy hosts are resolved.
        List<Record> records = new ArrayList<>();
        for (RrSet set : sets) {
            int type = Type.value(set.type());
            if (!SWEPT_TYPES.contains(type)) {
                continue;
            }
            for (String rdata : set.rdata()) {
                try {
                    records.add(Record.fromString(name(set.owner()), type, DClass.IN, set.ttl(), rdata, Name.root));
                } catch (IOException | IllegalArgumentException e) {
                    return new ZoneRead(source.id(), zone, List.of(), "the record " + set.owner() + " " + set.type() + " " + rdata
                            + " does not parse: " + e.getMessage());
                }
            }
        }
        return new ZoneRead(source.id(), zone, records, null);
    }

    private ResolverSettings resolverSettings() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        resolvers.forEach(r -> addresses.add(ResolverSettings.parseAddress(r)));
        if (addresses.isEmpty() && endpoints != null) {
            addresses.add(dev.mxshift.discovery.DiscoveryEndpoints.read(endpoints).resolver());
        }
        return addresses.isEmpty() ? ResolverSettings.system() : ResolverSettings.recursive(addresses);
    }

    /** With --record and no --inventory: the event log's domains, per zone, with the mx.microsoft host each was given. */
    private Map<Name, Map<Name, Name>> plannedOnTheLog() {
        Map<Name, Map<Name, Name>> planned = new LinkedHashMap<>();
        try (EventLog log = kafka.eventLog()) {
            for (dev.mxshift.model.workflow.MigrationState s : log.snapshot().states().values()) {
                if (s.provider() != null) {
                    planned.computeIfAbsent(name(s.provider().zone().value()), z -> new LinkedHashMap<>())
                            .put(name(s.domain().value()), s.targetHost() == null ? null : name(s.targetHost().value()));
                }
            }
        }
        return planned;
    }

    /** Per zone, the inventory's domains in it and their mx.microsoft host (null where the inventory has none). */
    private static Map<Name, Map<Name, Name>> planned(Path file, PrintWriter err) {
        Map<Name, Map<Name, Name>> planned = new ConcurrentHashMap<>();
        new InventoryReader().read(file, new InventoryReader.Sink() {
            @Override
            public void accepted(InventoryRow row) {
                Map<Name, Name> domains = planned.computeIfAbsent(name(row.provider().zone().value()), z -> new LinkedHashMap<>());
                domains.put(name(row.domain().value()), row.targetHost() == null ? null : name(row.targetHost().value()));
            }

            @Override
            public void rejected(InventoryProblem problem) {
                err.println("sweep: inventory row skipped: " + problem);
            }
        });
        return planned;
    }

    private static Map<String, Object> json(Map<ZoneRead, List<SweepFinding>> found, List<ZoneRead> unreadable, List<String> notSwept,
                                            LegacyAddresses addresses, int zonesRead, int findings) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("zonesRead", zonesRead);
        doc.put("findings", findings);
        doc.put("legacyHostsResolved", addresses.hostsAsked());
        doc.put("legacyAddresses", addresses.byAddress().entrySet().stream().map(e -> Map.of("address", e.getKey().getHostAddress(),
                "host", e.getValue().toString(true))).toList());
        List<Map<String, Object>> zones = new ArrayList<>();
        found.forEach((read, list) -> {
            Map<String, Object> zone = new LinkedHashMap<>();
            zone.put("zone", read.zone());
            zone.put("connector", read.connector());
            zone.put("findings", list);
            zones.add(zone);
        });
        doc.put("zones", zones);
        doc.put("notRead", unreadable.stream().map(r -> Map.of("zone", r.zone(), "connector", r.connector(), "reason", r.problem())).toList());
        doc.put("notSwept", notSwept);
        Map<String, String> failed = new LinkedHashMap<>();
        addresses.failures().forEach((host, why) -> failed.put(host.toString(true), why));
        doc.put("hostsNotResolved", failed);
        return doc;
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a domain name", e);
        }
    }
}
