package dev.mxshift.lab;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * BIND 9 as the lab's second authoritative server. It holds the tenant zones a scenario places on BIND:
 * healthy ones are dynamic, open to RFC 2136 updates signed with the lab's TSIG key (hmac-sha256) and to nothing
 * else, either signed by BIND itself ({@code dnssec-policy}) or unsigned, and are added zones, as a hoster's
 * provisioning adds them with {@code rndc addzone}: the BIND connector may sign them through {@code rndc modzone},
 * and the change lasts. Broken ones are signed offline with {@code dnssec-signzone} so that their signatures can be
 * expired, or missing for the MX RRset; they stay in named.conf, out of reach of rndc's changes.
 */
final class BindServer {

    static final String TSIG_NAME = "mxshift-lab.";
    static final String TSIG_ALGORITHM = "hmac-sha256";
    static final String RNDC_KEY = "mxshift-lab-rndc";
    /**
     * The largest TTL in a zone the BIND connector may sign in the lab, and so every TTL of the unsigned BIND tenant
     * zones: the policies' {@code max-zone-ttl}, which named 9.18 enforces (a zone file with a larger TTL fails to load
     * once signed, an update's larger TTL is cut to it) and waits out before it publishes CDS for a new key, as it waits
     * out {@code dnskey-ttl}. The lab compresses those waits as it compresses the others: a zone's negative answers
     * (SOA TTL and minimum) last no longer than this either, so named's CDS still comes after them.
     */
    static final long SIGNABLE_ZONE_TTL = 3;
    private static final String MXSHIFT_POLICY_TIMINGS = "dnssec-policy \"%s\" { keys { csk lifetime unlimited algorithm ecdsap256sha256; };"
            + " dnskey-ttl 2; publish-safety 0; retire-safety 0; zone-propagation-delay 0; max-zone-ttl " + SIGNABLE_ZONE_TTL + ";"
            + " parent-ds-ttl " + RegistryPolicy.LAB_DS_TTL + "; parent-propagation-delay 0; signatures-refresh 5d; signatures-validity 14d;"
            + " signatures-validity-dnskey 14d;%s };\n";

    /** The new-zone file of named's default view, which named moves into its new-zone database at startup. */
    private static final String NEW_ZONE_FILE = "_default.nzf";

    private final LabLayout layout;
    private final ServerProcess process;
    private final String tsigSecret;
    private final String rndcSecret;
    private final StringBuilder secondaryZones = new StringBuilder();
    private final List<Name> secondaries = new ArrayList<>();

    BindServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("named", layout.bind());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.tsigSecret = Base64.getEncoder().encodeToString(secret);
        new SecureRandom().nextBytes(secret);
        this.rndcSecret = Base64.getEncoder().encodeToString(secret);
    }

    /** The {@code rndc -c} configuration that reaches this BIND's control channel (127.0.0.1 only). */
    Path rndcConf() {
        return layout.bind().resolve("rndc.conf");
    }

    ServerProcess process() {
        return process;
    }

    String tsigSecret() {
        return tsigSecret;
    }

    /**
     * Writes the zones and named.conf, starts named and returns the DNSKEY each zone is signed with (read back
     * from BIND for the zones it signs itself), so the parents can publish DS records.
     */
    Map<Name, DNSKEYRecord> start(List<LabZone> zones) {
        Path dir = layout.bind();
        Path zoneDir = dir.resolve("zones");
        Path keyDir = dir.resolve("keys");
        Map<Name, DNSKEYRecord> keys = new LinkedHashMap<>();
        List<Name> selfSigned = new ArrayList<>();
        List<java.util.concurrent.Callable<Void>> signing = new ArrayList<>();
        StringBuilder conf = new StringBuilder();
        StringBuilder added = new StringBuilder();
        try {
            Files.createDirectories(zoneDir);
            Files.createDirectories(keyDir);
            conf.append("// Written by the mxshift lab; rewritten at every lab up.\n")
                    .append("options {\n")
                    .append("  directory \"").append(dir).append("\";\n")
                    .append("  listen-on port ").append(layout.bindPort()).append(" { ").append(layout.bindAddress()).append("; };\n")
                    .append("  listen-on-v6 { none; };\n")
                    .append("  pid-file \"").append(dir.resolve("named.own.pid")).append("\";\n")
                    .append("  session-keyfile \"").append(dir.resolve("session.key")).append("\";\n")
                    .append("  managed-keys-directory \"").append(dir).append("\";\n")
                    .append("  key-directory \"").append(keyDir).append("\";\n")
                    .append("  recursion no;\n  dnssec-validation no;\n  notify no;\n")
                    .append("  allow-transfer { 127.0.0.0/8; };\n")
                    // A lab secondary retries and refreshes within seconds, not BIND's production minutes: it starts
                    // before its primary (PowerDNS needs the DS of BIND's own zones first).
                    .append("  min-retry-time 1;\n  max-retry-time 5;\n  min-refresh-time 5;\n  max-refresh-time 30;\n")
                    // The BIND connector signs a zone by changing its configuration through rndc (modzone): zones added
                    // with rndc addzone, kept in the new-zone database, so a restart keeps what was changed.
                    .append("  allow-new-zones yes;\n")
                    .append("};\n")
                    .append("key \"").append(RNDC_KEY).append("\" { algorithm hmac-sha256; secret \"").append(rndcSecret).append("\"; };\n")
                    .append("controls { inet ").append(layout.bindAddress()).append(" port ").append(layout.bindControlPort())
                    .append(" allow { 127.0.0.1; } keys { \"").append(RNDC_KEY).append("\"; }; };\n")
                    .append("logging { channel out { stderr; severity info; print-time yes; }; category default { out; }; };\n")
                    .append("key \"").append(TSIG_NAME).append("\" { algorithm ").append(TSIG_ALGORITHM)
                    .append("; secret \"").append(tsigSecret).append("\"; };\n")
                    .append("dnssec-policy \"lab\" { keys { csk lifetime unlimited algorithm ecdsap256sha256; }; };\n")
                    // What the BIND connector signs with (its settings dnssec-policy and dnssec-policy-nsec3): one CSK, and
                    // lab-short timings so that named's CDS, published once the key and the zone's signatures are
                    // omnipresent (dnskey-ttl, max-zone-ttl, no safety margins), comes in seconds rather than BIND's
                    // default day; parent-ds-ttl is the DS TTL of the lab's registries.
                    .append(MXSHIFT_POLICY_TIMINGS.formatted("mxshift", ""))
                    .append(MXSHIFT_POLICY_TIMINGS.formatted("mxshift-nsec3", " nsec3param iterations 0 optout no salt-length 0;"));
            for (LabZone zone : zones) {
                if (zone.secondaryOnBind()) {
                    // Transferred from PowerDNS, signed there; PowerDNS's NOTIFY brings every change. Added once
                    // PowerDNS serves (see startSecondaries), so that the first transfer does not meet a closed port.
                    secondaries.add(zone.origin());
                    secondaryZones.append("zone \"").append(zone.origin().toString(true)).append("\" {\n  type secondary;\n")
                            .append("  primaries { ").append(layout.powerDnsAddress()).append(" port ").append(layout.powerDnsPort()).append("; };\n")
                            .append("  file \"").append(zoneDir.resolve(zone.origin().toString(true) + ".secondary")).append("\";\n")
                            .append("  allow-notify { 127.0.0.0/8; };\n};\n");
                    continue;
                }
                if (zone.server() != LabZone.Server.BIND) {
                    continue;
                }
                String origin = zone.origin().toString(true);
                Path file = zoneDir.resolve(origin + ".db");
                switch (zone.signing()) {
                    case SIGNED, UNSIGNED -> {
                        boolean signed = zone.signing() == LabZone.Signing.SIGNED;
                        // An unsigned zone keeps its TTLs within the connector's policies, which may be given to it.
                        List<Record> records = signed ? zone.records() : zone.records().stream().map(BindServer::signableTtl).toList();
                        Files.writeString(file, records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
                        added.append("zone \"").append(origin).append("\" { type primary; file \"").append(file).append("\";")
                                .append(" update-policy { grant ").append(TSIG_NAME).append(" zonesub ANY; };")
                                // Inline signing: updates change the unsigned zone, BIND keeps a signed copy current.
                                .append(signed ? " dnssec-policy \"lab\"; inline-signing yes;" : "").append(" };\n");
                        if (signed) {
                            selfSigned.add(zone.origin());
                        }
                    }
                    case EXPIRED_SIGNATURES, MISSING_MX_SIGNATURE -> {
                        Files.writeString(file, zone.records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
                        DnssecKey key = DnssecKey.generate();
                        keys.put(zone.origin(), key.dnskey(zone.origin(), LabInternet.TTL));
                        Path signed = file.resolveSibling(origin + ".signed");
                        signing.add(() -> {
                            signOffline(zone, key, file, keyDir);
                            return null;
                        });
                        conf.append("zone \"").append(origin).append("\" {\n  type primary;\n  file \"").append(signed).append("\";\n};\n");
                    }
                }
            }
            // Added zones live in named's new-zone database, as if each came by rndc addzone: named takes this file at
            // startup and moves its zones into the database (_default.nzd), in a fraction of a second for thousands of
            // zones where one rndc addzone per zone would take a connection and a configuration write each.
            Files.writeString(dir.resolve(NEW_ZONE_FILE), added.toString());
            Files.writeString(dir.resolve("named.conf"), conf.toString());
            Files.writeString(rndcConf(), "key \"" + RNDC_KEY + "\" { algorithm hmac-sha256; secret \"" + rndcSecret + "\"; };\n"
                    + "options { default-key \"" + RNDC_KEY + "\"; default-server " + layout.bindAddress() + "; default-port "
                    + layout.bindControlPort() + "; };\n");
            signAll(signing);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write BIND's configuration in " + dir, e);
        }
        Commands.run(List.of("named-checkconf", dir.resolve("named.conf").toString()), null, 30);
        process.start(List.of("named", "-g", "-c", dir.resolve("named.conf").toString()));
        process.awaitDns(layout.bindAddress(), layout.bindPort(), Duration.ofSeconds(30));
        for (Name zone : selfSigned) {
            keys.put(zone, awaitDnskey(zone));
        }
        return keys;
    }

    /** Adds the zones PowerDNS is primary for, reloads named (SIGHUP) and waits until each is transferred. */
    void startSecondaries() {
        if (secondaries.isEmpty()) {
            return;
        }
        Path conf = layout.bind().resolve("named.conf");
        try {
            Files.writeString(conf, secondaryZones.toString(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(List.of("named-checkconf", conf.toString()), null, 30);
        long pid = process.pid().orElseThrow(() -> new IllegalStateException("named is not running; its log:\n" + process.tail()));
        Commands.run(List.of("kill", "-HUP", Long.toString(pid)), null, 10);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Name zone : secondaries) {
            while (!servesSoa(zone)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("BIND did not transfer " + zone + " from PowerDNS within 60 s; its log:\n" + process.tail());
                }
                ServerProcess.sleep(100);
            }
        }
    }

    private boolean servesSoa(Name zone) {
        Record[] answers = ask(zone, Type.SOA);
        return answers != null && answers.length > 0;
    }

    /** Asks this BIND directly, without a cache; null when it has no answer (yet). */
    private Record[] ask(Name name, int type) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(layout.bindAddress(), layout.bindPort()));
        resolver.setTimeout(Duration.ofSeconds(1));
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        return lookup.run();
    }

    /** dnssec-signzone runs once per zone; with thousands of synthetic tenants, use every core. */
    private static void signAll(List<java.util.concurrent.Callable<Void>> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            for (var result : pool.invokeAll(tasks)) {
                result.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing zones", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Signs with our key; expired signatures (valid until a day ago) or a zone without the MX RRset's signature. */
    private Path signOffline(LabZone zone, DnssecKey key, Path file, Path keyDir) throws IOException {
        String origin = zone.origin().toString(true);
        DNSKEYRecord dnskey = key.dnskey(zone.origin(), LabInternet.TTL);
        String base = String.format("K%s.+013+%05d", origin, dnskey.getFootprint());
        Files.writeString(keyDir.resolve(base + ".key"), dnskey + "\n");
        Files.writeString(keyDir.resolve(base + ".private"), key.powerDnsPrivateKey());
        // dnssec-signzone signs with the keys it finds at the apex of the zone file.
        Files.writeString(file, dnskey + "\n", java.nio.file.StandardOpenOption.APPEND);
        Path signed = file.resolveSibling(origin + ".signed");
        List<String> command = new ArrayList<>(List.of("dnssec-signzone", "-P", "-z", "-O", "full", "-d", keyDir.toString(), "-o", origin,
                "-K", keyDir.toString(), "-f", signed.toString()));
        if (zone.signing() == LabZone.Signing.EXPIRED_SIGNATURES) {
            command.addAll(List.of("-s", "now-864000", "-e", "now-86400"));
        }
        command.addAll(List.of(file.toString(), keyDir.resolve(base).toString()));
        Commands.run(command, null, 60);
        if (zone.signing() == LabZone.Signing.MISSING_MX_SIGNATURE) {
            List<String> kept = Files.readAllLines(signed).stream()
                    .filter(line -> !line.matches("(?i)^" + java.util.regex.Pattern.quote(origin + ".") + "\\s+\\d+\\s+IN\\s+RRSIG\\s+MX\\s.*"))
                    .toList();
            Files.write(signed, kept);
        }
        return signed;
    }

    private static Record signableTtl(Record record) {
        return record.getTTL() <= SIGNABLE_ZONE_TTL ? record
                : Record.newRecord(record.getName(), record.getType(), record.getDClass(), SIGNABLE_ZONE_TTL, record.rdataToWireCanonical());
    }

    private DNSKEYRecord awaitDnskey(Name zone) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Record[] answers = ask(zone, Type.DNSKEY);
            if (answers != null) {
                for (Record r : answers) {
                    if (r instanceof DNSKEYRecord key && (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0) {
                        return key;
                    }
                }
            }
            ServerProcess.sleep(200);
        }
        throw new IllegalStateException("BIND did not publish a DNSKEY for " + zone + " within 30 s; its log:\n" + process.tail());
    }
}
