package dev.mxshift.lab;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A registry's parent-side CDS scanner (RFC 7344, RFC 8078), as .ch or .se run one, for the lab's CDS-scanning
 * TLDs. Each scan reads the TLD zone's delegations from the registry's database (the PowerDNS API), asks every
 * name server of each child over TCP for CDS, CDNSKEY and DNSKEY with their RRSIGs, judges the answers with
 * {@link CdsEvidence}, and then:
 * <ul>
 *   <li>without a DS (bootstrapping), publishes one at once when the child's DNS operator vouches for exactly its
 *       CDS/CDNSKEY with RFC 9615 signals that validate through the lab's Unbound ({@link BootstrapSignals}, where the
 *       registry's policy takes them); otherwise only after {@code observations} consecutive identical consistent
 *       validating scans (RFC 8078 section 3.3, "accept after delay"; any change restarts the count);</li>
 *   <li>with a DS, acts at once on a CDS the existing chain validates (RFC 7344 section 4.1), and derives the new DS
 *       set with BIND's {@code dnssec-cds}, the reference parent-side tool, which must agree with its own reading
 *       (except for the delete form, which the 9.18 tool cannot judge);</li>
 *   <li>replaces (or, for {@code CDS 0 0 0 00}, deletes) the child's DS rrset through the PowerDNS API.</li>
 * </ul>
 * Every observation and decision is one line of the TLD's log. Runs until killed or for its maximum runtime.
 */
public final class CdsScanner {

    static final String READY = "cds-scanner: scanning";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter SIGNATURE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    record Registry(String tld, int observations, Duration interval, long dsTtl, Path log, boolean authenticatedBootstrap) {
    }

    /** A bootstrapping candidate seen so many times in a row. */
    record Streak(String candidate, int count) {
    }

    private final String apiUrl;
    private final String apiKey;
    private final Map<Name, List<String>> serversOfHost;
    private final Path work;
    /** The validating resolver (address:port) that the RFC 9615 signals must validate through; null: signals are not asked. */
    private final String resolver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Name, Streak> streaks = new HashMap<>();
    /** Latest RRSIG inception accepted per child: dnssec-cds refuses older signatures (replay protection). */
    private final Map<Name, Instant> acceptedInception = new HashMap<>();

    CdsScanner(String apiUrl, String apiKey, Map<Name, List<String>> serversOfHost, Path work, String resolver) {
        this.resolver = resolver;
        this.apiUrl = apiUrl;
        this.apiKey = apiKey;
        this.serversOfHost = serversOfHost;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CdsScanner <scanner.json>");
            System.exit(2);
        }
        JsonNode config = JSON.readTree(Files.readString(Path.of(args[0])));
        Map<Name, List<String>> servers = new LinkedHashMap<>();
        config.path("serversOfHost").properties().forEach(e -> {
            List<String> list = new ArrayList<>();
            e.getValue().forEach(v -> list.add(v.asString()));
            servers.put(LabInternet.name(e.getKey()), list);
        });
        List<Registry> registries = new ArrayList<>();
        config.path("registries").forEach(r -> registries.add(new Registry(r.path("tld").asString(), r.path("observations").asInt(),
                Duration.ofMillis(r.path("scanIntervalMillis").asLong()), r.path("dsTtl").asLong(), Path.of(r.path("log").asString()),
                r.path("authenticatedBootstrap").asBoolean(false))));
        String resolver = config.hasNonNull("resolver") ? config.path("resolver").asString() : null;
        if (resolver == null && registries.stream().anyMatch(Registry::authenticatedBootstrap)) {
            System.err.println("cds-scanner: " + args[0] + " names no resolver, which RFC 9615 signals must validate through");
            System.exit(2);
        }
        CdsScanner scanner = new CdsScanner(config.path("apiUrl").asString(), config.path("apiKey").asString(), servers,
                Path.of(config.path("workDirectory").asString()), resolver);
        Instant end = Instant.now().plusSeconds(config.path("maxRuntimeSeconds").asLong(604800));
        System.out.println(READY + " " + registries.stream().map(Registry::tld).toList() + " until " + end);
        System.out.flush();
        Map<String, Instant> due = new HashMap<>();
        while (Instant.now().isBefore(end)) {
            for (Registry registry : registries) {
                if (!Instant.now().isBefore(due.getOrDefault(registry.tld(), Instant.MIN))) {
                    try {
                        scanner.scan(registry);
                    } catch (RuntimeException | IOException e) {
                        scanner.log(registry, "-", "-", "error: " + e);
                    }
                    due.put(registry.tld(), Instant.now().plus(registry.interval()));
                }
            }
            Thread.sleep(50);
        }
        System.out.println("cds-scanner: maximum runtime reached, stopping");
    }

    /** One scan of every delegation of the registry's TLD. */
    void scan(Registry registry) throws IOException, InterruptedException {
        Name tld = LabInternet.name(registry.tld() + ".");
        JsonNode zone = api("GET", "/servers/localhost/zones/" + tld, null, 200);
        Map<Name, List<Name>> delegations = new LinkedHashMap<>();
        Map<Name, List<DSRecord>> dsOf = new HashMap<>();
        for (JsonNode rrset : zone.path("rrsets")) {
            Name owner = LabInternet.name(rrset.path("name").asString());
            if (owner.equals(tld)) {
                continue;
            }
            String type = rrset.path("type").asString();
            for (JsonNode record : rrset.path("records")) {
                if (record.path("disabled").asBoolean(false)) {
                    continue;
                }
                String content = record.path("content").asString();
                if (type.equals("NS")) {
                    delegations.computeIfAbsent(owner, o -> new ArrayList<>()).add(LabInternet.name(content));
                } else if (type.equals("DS")) {
                    dsOf.computeIfAbsent(owner, o -> new ArrayList<>())
                            .add((DSRecord) Record.fromString(owner, Type.DS, DClass.IN, rrset.path("ttl").asLong(), content, Name.root));
                }
            }
        }
        for (Map.Entry<Name, List<Name>> delegation : delegations.entrySet()) {
            Name child = delegation.getKey();
            List<CdsEvidence.ServerAnswer> answers = new ArrayList<>();
            for (Name host : delegation.getValue()) {
                List<String> addresses = serversOfHost.get(host);
                if (addresses == null) {
                    answers.add(CdsEvidence.ServerAnswer.failed(host.toString(), "has no address the registry can reach"));
                    continue;
                }
                for (String address : addresses) {
                    answers.add(ask(child, host + "@" + address, address));
                }
            }
            List<DSRecord> existing = dsOf.getOrDefault(child, List.of());
            CdsEvidence.Verdict verdict = CdsEvidence.evaluate(child, answers, existing, registry.dsTtl(), Instant.now());
            String seen = answers.stream().map(CdsEvidence.ServerAnswer::summary).collect(Collectors.joining("; ", "[", "]"));
            String decision;
            try {
                decision = decide(registry, tld, child, delegation.getValue(), verdict, existing, answers);
            } catch (IOException | RuntimeException e) {
                streaks.remove(child);
                decision = "error (nothing changed): " + e.getMessage();
            }
            log(registry, child.toString(), seen, decision);
        }
        // Only this TLD's children: the streaks of another scanning registry's children are that registry's to keep.
        streaks.keySet().removeIf(child -> child.subdomain(tld) && !delegations.containsKey(child));
    }

    private String decide(Registry registry, Name tld, Name child, List<Name> nameServers, CdsEvidence.Verdict verdict,
                          List<DSRecord> existing, List<CdsEvidence.ServerAnswer> answers) throws IOException, InterruptedException {
        if (verdict instanceof CdsEvidence.Verdict.NoSignal) {
            streaks.remove(child);
            return "no-signal" + (existing.isEmpty() ? "" : " (DS " + rdata(existing) + " stays)");
        }
        if (verdict instanceof CdsEvidence.Verdict.Refused refused) {
            streaks.remove(child);
            return "refused: " + refused.reason();
        }
        CdsEvidence.Verdict.Wanted wanted = (CdsEvidence.Verdict.Wanted) verdict;
        TreeSet<String> want = rdata(wanted.ds());
        if (want.equals(rdata(existing))) {
            streaks.remove(child);
            return "unchanged: DS " + want;
        }
        String unauthenticated = "";
        if (!wanted.chained() && registry.authenticatedBootstrap()) {
            CdsEvidence.ServerAnswer apex = answers.get(0);
            Map<Name, BootstrapSignals.SignalAnswer> signals = new LinkedHashMap<>();
            for (Name host : BootstrapSignals.hostsToAsk(child, nameServers)) {
                signals.put(host, askSignal(child, host));
            }
            BootstrapSignals.Verdict authenticated = BootstrapSignals.evaluate(child, nameServers, apex.cds(), apex.cdnskey(), signals);
            if (authenticated instanceof BootstrapSignals.Verdict.Authenticated a) {
                streaks.remove(child);
                publish(tld, child, wanted.ds(), registry.dsTtl());
                return "published DS " + want + " (authenticated bootstrap, RFC 9615: signals at " + a.signalNames() + ")";
            }
            unauthenticated = "; RFC 9615 signals not accepted: " + ((BootstrapSignals.Verdict.NotAuthenticated) authenticated).reason();
        }
        if (!wanted.chained()) {
            // Any change restarts the count: of the DS wanted, and of the CDS, CDNSKEY or DNSKEY sets served.
            CdsEvidence.ServerAnswer seen = answers.get(0);
            String observed = want + " " + CdsEvidence.rdata(seen.cds()) + CdsEvidence.rdata(seen.cdnskey()) + CdsEvidence.rdata(seen.dnskey());
            Streak before = streaks.get(child);
            int count = before != null && before.candidate().equals(observed) ? before.count() + 1 : 1;
            streaks.put(child, new Streak(observed, count));
            if (count < registry.observations()) {
                return "wait " + count + "/" + registry.observations() + ": bootstrap candidate DS " + want + unauthenticated;
            }
            publish(tld, child, wanted.ds(), registry.dsTtl());
            streaks.remove(child);
            return "published DS " + want + " after " + count + " consistent observations (bootstrap, RFC 8078 section 3.3)" + unauthenticated;
        }
        if (want.isEmpty()) {
            // BIND 9.18's dnssec-cds cannot judge the delete form: it refuses "CDS 0 0 0 00" ("do not match any -a
            // digest types") and turns "CDNSKEY 0 3 0 AA==" into a DS "768 0 2 ...". The chain check above stands alone.
            streaks.remove(child);
            delete(tld, child);
            return "deleted DS " + rdata(existing) + " (delete form validated by the existing DS, RFC 8078 section 4)";
        }
        // Rollover: BIND's reference tool must reach the same DS set from the same records.
        List<DSRecord> reference = dnssecCds(child, answers.get(0), existing, registry.dsTtl());
        if (!rdata(reference).equals(want)) {
            streaks.remove(child);
            return "refused: dnssec-cds derives DS " + rdata(reference) + ", the scanner " + want;
        }
        streaks.remove(child);
        publish(tld, child, reference, registry.dsTtl());
        return "replaced DS " + rdata(existing) + " with " + want + " (validated by the existing DS, RFC 7344 section 4.1; dnssec-cds agrees)";
    }

    /** Asks one server for the child's DNSKEY, CDS and CDNSKEY over TCP with DO, as .ch and .se require. */
    private CdsEvidence.ServerAnswer ask(Name child, String label, String address) {
        String[] hostPort = address.split(":");
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            resolver.setTCP(true);
            resolver.setTimeout(Duration.ofSeconds(3));
            resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
            RRset[] sets = new RRset[3];
            int[] types = {Type.DNSKEY, Type.CDS, Type.CDNSKEY};
            for (int i = 0; i < types.length; i++) {
                Message reply = resolver.send(Message.newQuery(Record.newRecord(child, types[i], DClass.IN)));
                if (reply.getRcode() != Rcode.NOERROR) {
                    return CdsEvidence.ServerAnswer.failed(label, Type.string(types[i]) + " answered " + Rcode.string(reply.getRcode()));
                }
                if (!reply.getHeader().getFlag(Flags.AA)) {
                    return CdsEvidence.ServerAnswer.failed(label, "is not authoritative for " + child);
                }
                RRset set = new RRset();
                for (RRset answer : reply.getSectionRRsets(Section.ANSWER)) {
                    if (answer.getType() == types[i] && answer.getName().equals(child)) {
                        set = answer;
                    }
                }
                sets[i] = set;
            }
            return new CdsEvidence.ServerAnswer(label, null, sets[0], sets[1], sets[2]);
        } catch (IOException | RuntimeException e) {
            return CdsEvidence.ServerAnswer.failed(label, "did not answer: " + e.getMessage());
        }
    }

    /**
     * Asks the validating resolver for the CDS and CDNSKEY at the host's signalling name (RFC 9615 section 4.2 step 3):
     * with DO and AD, so that an answer counts only when the resolver validated it. A secure denial (NXDOMAIN or no data
     * with AD) is a secure empty set; SERVFAIL is bogus, or the resolver failing.
     */
    private BootstrapSignals.SignalAnswer askSignal(Name child, Name host) {
        Name name = BootstrapSignals.signalName(child, host);
        String[] hostPort = resolver.split(":");
        try {
            SimpleResolver validating = new SimpleResolver(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            validating.setTimeout(Duration.ofSeconds(3));
            validating.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
            RRset[] sets = new RRset[2];
            int[] types = {Type.CDS, Type.CDNSKEY};
            for (int i = 0; i < types.length; i++) {
                Message query = Message.newQuery(Record.newRecord(name, types[i], DClass.IN));
                query.getHeader().setFlag(Flags.AD);
                Message reply = validating.send(query);
                String what = Type.string(types[i]) + " answered " + Rcode.string(reply.getRcode());
                if (reply.getRcode() == Rcode.SERVFAIL) {
                    return BootstrapSignals.SignalAnswer.notSecure(host, BootstrapSignals.Security.BOGUS, what);
                }
                if (reply.getRcode() != Rcode.NOERROR && reply.getRcode() != Rcode.NXDOMAIN) {
                    return BootstrapSignals.SignalAnswer.notSecure(host, BootstrapSignals.Security.FAILED, what);
                }
                if (!reply.getHeader().getFlag(Flags.AD)) {
                    return BootstrapSignals.SignalAnswer.notSecure(host, BootstrapSignals.Security.INSECURE, what + " without AD");
                }
                RRset set = new RRset();
                for (RRset answer : reply.getSectionRRsets(Section.ANSWER)) {
                    if (answer.getType() == types[i] && answer.getName().equals(name)) {
                        set = answer;
                    }
                }
                sets[i] = set;
            }
            return BootstrapSignals.SignalAnswer.secure(host, sets[0], sets[1]);
        } catch (IOException | RuntimeException e) {
            return BootstrapSignals.SignalAnswer.notSecure(host, BootstrapSignals.Security.FAILED, "the resolver did not answer: " + e.getMessage());
        }
    }

    /** Runs {@code dnssec-cds} on the records one server served and the DS the parent holds; returns its DS set. */
    private List<DSRecord> dnssecCds(Name child, CdsEvidence.ServerAnswer answer, List<DSRecord> existing, long dsTtl)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path childFile = work.resolve(child.toString() + "child");
        Path dsFile = work.resolve("dsset-" + child);
        StringBuilder records = new StringBuilder();
        Instant inception = Instant.EPOCH;
        for (RRset set : new RRset[]{answer.dnskey(), answer.cds(), answer.cdnskey()}) {
            for (Record r : set.rrs()) {
                records.append(r).append('\n');
            }
            for (RRSIGRecord sig : set.sigs()) {
                records.append(sig).append('\n');
                inception = sig.getTimeSigned().isAfter(inception) ? sig.getTimeSigned() : inception;
            }
        }
        Files.writeString(childFile, records);
        Files.writeString(dsFile, existing.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
        Instant start = acceptedInception.getOrDefault(child, Instant.EPOCH.plusSeconds(86400));
        List<String> command = new ArrayList<>(List.of("dnssec-cds"));
        // The digest types the child asks for (dnssec-cds keeps only SHA-256 otherwise); none for the delete form.
        answer.cds().rrs().stream().map(r -> ((DSRecord) r).getDigestID()).filter(d -> d != 0).distinct().sorted()
                .forEach(d -> command.addAll(List.of("-a", d == 1 ? "SHA-1" : d == 2 ? "SHA-256" : d == 4 ? "SHA-384" : "unknown-" + d)));
        command.addAll(List.of("-s", SIGNATURE_TIME.format(start), "-T", Long.toString(dsTtl), "-f", childFile.toString(),
                "-d", dsFile.toString(), child.toString()));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("dnssec-cds refused " + child + ": " + err.strip());
        }
        List<DSRecord> ds = new ArrayList<>();
        for (String line : out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(";")).toList()) {
            Record r = Record.fromString(child, Type.DS, DClass.IN, dsTtl, line.replaceFirst("(?i)^.*\\sDS\\s+", ""), Name.root);
            ds.add((DSRecord) r);
        }
        acceptedInception.put(child, inception);
        return ds;
    }

    private void publish(Name tld, Name child, List<DSRecord> ds, long ttl) throws IOException, InterruptedException {
        StringBuilder records = new StringBuilder();
        for (DSRecord r : ds) {
            records.append(records.isEmpty() ? "" : ",").append("{\"content\":").append(JSON.writeValueAsString(r.rdataToString()))
                    .append(",\"disabled\":false}");
        }
        api("PATCH", "/servers/localhost/zones/" + tld, "{\"rrsets\":[{\"name\":" + JSON.writeValueAsString(child.toString())
                + ",\"type\":\"DS\",\"ttl\":" + ttl + ",\"changetype\":\"REPLACE\",\"records\":[" + records + "]}]}", 204);
    }

    private void delete(Name tld, Name child) throws IOException, InterruptedException {
        api("PATCH", "/servers/localhost/zones/" + tld, "{\"rrsets\":[{\"name\":" + JSON.writeValueAsString(child.toString())
                + ",\"type\":\"DS\",\"changetype\":\"DELETE\"}]}", 204);
    }

    private JsonNode api(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", apiKey).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private void log(Registry registry, String child, String seen, String decision) {
        String line = Instant.now() + " child=" + child + " seen=" + seen + " decision=" + decision + "\n";
        try {
            Files.writeString(registry.log(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cds-scanner: cannot write " + registry.log() + ": " + e.getMessage() + "; " + line);
        }
    }

    private static TreeSet<String> rdata(List<DSRecord> ds) {
        TreeSet<String> out = new TreeSet<>();
        ds.forEach(r -> out.add(r.rdataToString().toUpperCase(java.util.Locale.ROOT)));
        return out;
    }
}
