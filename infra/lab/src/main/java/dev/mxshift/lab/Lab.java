package dev.mxshift.lab;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Brings the lab up and down. Every file it writes lives under the layout's directory. */
public final class Lab {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** The mail sender's resolver caches nothing longer: below the services' compressed one-hour wait (3.6 s). */
    static final int SENDER_CACHE_MAX_TTL = 3;
    /** How long the mail sender keeps trying a message before it bounces it. */
    static final Duration SENDER_QUEUE_LIFETIME = Duration.ofSeconds(90);

    private final LabLayout layout;
    private final Consumer<String> progress;
    private final PowerDnsServer powerDns;
    private final PowerDnsServer registryDns;
    private final UnboundServer unbound;
    private final BindServer bind;
    private final PostfixServer postfix;
    private final UnboundServer senderResolver;
    private final MailSenderServer mailSender;
    private final MtaStsServer mtaSts;
    private final CdsScannerProcess scanner;
    private final EppRegistryProcess epp;

    public Lab(LabLayout layout, Consumer<String> progress) {
        this.layout = layout;
        this.progress = progress;
        this.powerDns = PowerDnsServer.hosters(layout);
        this.registryDns = PowerDnsServer.registries(layout);
        this.unbound = new UnboundServer(layout);
        this.bind = new BindServer(layout);
        this.postfix = new PostfixServer(layout);
        this.senderResolver = UnboundServer.mailSenders(layout, SENDER_CACHE_MAX_TTL);
        this.mailSender = new MailSenderServer(layout);
        this.mtaSts = new MtaStsServer(layout);
        this.scanner = new CdsScannerProcess(layout);
        this.epp = new EppRegistryProcess(layout);
    }

    public List<ServerProcess> processes() {
        return List.of(unbound.process(), powerDns.process(), registryDns.process(), bind.process(), postfix.process(), mtaSts.process(),
                scanner.process(), epp.process(), senderResolver.process(), mailSender.process());
    }

    public boolean running() {
        return processes().stream().allMatch(ServerProcess::alive);
    }

    /**
     * Another lab (another MXSHIFT_LAB_DIR) or another server on the lab's addresses would answer in place of the
     * servers this lab starts, and every test would talk to the wrong one: refuse, and say which address is taken.
     */
    private void refuseWhenTaken() {
        List<String> taken = new ArrayList<>();
        for (String[] dns : new String[][]{{layout.powerDnsAddress(), "" + layout.powerDnsPort()}, {layout.registryAddress(), "" + layout.registryPort()},
                {layout.bindAddress(), "" + layout.bindPort()},
                {layout.unboundAddress(), "" + layout.unboundPort()}}) {
            if (ServerProcess.tcpOpen(dns[0], Integer.parseInt(dns[1]))) {
                taken.add(dns[0] + ":" + dns[1]);
            }
        }
        for (String[] tcp : new String[][]{{layout.powerDnsAddress(), "" + layout.powerDnsApiPort()}, {layout.registryAddress(), "" + layout.registryApiPort()},
                {layout.smtpGoodAddress(), "" + layout.smtpPort()},
                {layout.mailSenderAddress(), "" + layout.mailSenderSubmissionPort()}, {layout.mailSenderResolverAddress(), "53"},
                {layout.mtaStsAddress(), "" + layout.mtaStsPort()}, {layout.bindAddress(), "" + layout.bindControlPort()},
                {EppRegistryProcess.ADDRESS, "" + EppRegistryProcess.PORT}}) {
            if (ServerProcess.tcpOpen(tcp[0], Integer.parseInt(tcp[1]))) {
                taken.add(tcp[0] + ":" + tcp[1]);
            }
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException("another server already listens on " + taken + ": probably a lab started with another"
                    + " MXSHIFT_LAB_DIR; stop it (MXSHIFT_LAB_DIR=<its directory> infra/lab/lab down) and try again");
        }
    }

    /** Starts the lab with these tenant scenarios and the built-in catalogue's registries; false if it already runs. */
    public boolean up(List<ScenarioSpec> scenarios) {
        return up(scenarios, ScenarioCatalogue.builtInRegistries());
    }

    /** Starts the lab with these tenant scenarios and registry policies; if it already runs, does nothing and returns false. */
    public boolean up(List<ScenarioSpec> scenarios, List<RegistryPolicy> registries) {
        if (running()) {
            return false;
        }
        down();
        refuseWhenTaken();
        long started = System.nanoTime();
        try {
            cleanDirectory();
            ScenarioCatalogue.checkUnique(scenarios);
            LabPki pki = LabPki.create();
            pki.write(layout.pki());
            progress.accept("certificates written to " + layout.pki());

            DnssecKey powerDnsKey = DnssecKey.generate();
            LabInternet internet = LabInternet.build(layout, pki, scenarios, registries);
            progress.accept(internet.zones().size() + " zones built for " + internet.tenants().size() + " tenants");
            Map<Name, DNSKEYRecord> bindKeys = bind.start(internet.zones());
            progress.accept("BIND serves " + internet.bindZones().size() + " zones on " + layout.bindAddress() + ":" + layout.bindPort()
                    + " (RFC 2136 with TSIG key " + BindServer.TSIG_NAME + ")");
            internet.publishDs(zone -> bindKeys.containsKey(zone) ? bindKeys.get(zone) : powerDnsKey.dnskey(zone, LabInternet.TTL));

            String apiKey = randomSecret();
            powerDns.load(internet.zones(), powerDnsKey, bind.tsigSecret());
            registryDns.load(internet.zones(), powerDnsKey, null);
            progress.accept("PowerDNS databases loaded");
            powerDns.start(apiKey);
            progress.accept("PowerDNS serves on " + layout.powerDnsAddress() + ":" + layout.powerDnsPort()
                    + ", API " + layout.powerDnsApiUrl());
            registryDns.start(apiKey);
            progress.accept("the registries' PowerDNS serves the root and the TLDs on " + layout.registryAddress() + ":"
                    + layout.registryPort() + ", API " + layout.registryApiUrl());
            bind.startSecondaries();
            String bindServer = layout.bindAddress() + "@" + layout.bindPort();
            String powerDnsServer = layout.powerDnsAddress() + "@" + layout.powerDnsPort();
            String registryServer = layout.registryAddress() + "@" + layout.registryPort();
            Map<Name, List<String>> serversOfZone = new LinkedHashMap<>();
            for (LabZone zone : internet.zones()) {
                serversOfZone.put(zone.origin(), zone.server() == LabZone.Server.BIND ? List.of(bindServer)
                        : zone.server() == LabZone.Server.REGISTRY ? List.of(registryServer)
                        : zone.secondaryOnBind() ? List.of(powerDnsServer, bindServer) : List.of(powerDnsServer));
            }
            internet.lameZones().forEach(zone -> serversOfZone.put(zone, List.of(bindServer)));
            unbound.start(powerDnsKey.ds(Name.root, LabInternet.TTL), serversOfZone);
            progress.accept("Unbound validates on " + layout.unboundAddress() + ":" + layout.unboundPort()
                    + " (and port 53, for glibc-based reference tools)");
            // The servers below depend on none of each other (only on the DNS servers above): started side by side,
            // as down() stops them, since each start is mostly waiting for its server to answer.
            List<String> registryZones = internet.zones().stream().filter(z -> z.origin().labels() == 2)
                    .map(z -> z.origin().toString(true)).toList();
            Map<String, List<String>> serversOfHost = new LinkedHashMap<>();
            serversOfHost.put(LabInternet.NS_POWERDNS.toString(), List.of(layout.powerDnsAddress() + ":" + layout.powerDnsPort()));
            serversOfHost.put(LabInternet.NS_BIND.toString(), List.of(layout.bindAddress() + ":" + layout.bindPort()));
            serversOfHost.put(LabInternet.NS_LAME.toString(), List.of(layout.bindAddress() + ":" + layout.bindPort()));
            serversOfHost.put(LabInternet.NS_FOREIGN.toString(), List.of(layout.bindAddress() + ":" + layout.bindPort()));
            together(progress, List.of(
                    () -> {
                        // the two Postfix instances one after the other: Postfix's own start scripts are not known to
                        // be safe side by side
                        postfix.start();
                        String endpoints = "Postfix serves STARTTLS on " + layout.smtpGoodAddress() + ", " + layout.smtpMismatchAddress()
                                + ", " + layout.smtpLegacyAddress() + " port " + layout.smtpPort() + ", final destination of every domain";
                        senderResolver.start(powerDnsKey.ds(Name.root, LabInternet.TTL), serversOfZone);
                        mailSender.start(senderResolver.resolvConf(), SENDER_QUEUE_LIFETIME);
                        return endpoints + "\n" + "the mail sender (Postfix, DNSSEC and DANE) takes submissions on " + layout.mailSenderAddress() + ":"
                                + layout.mailSenderSubmissionPort() + ", resolving through " + layout.mailSenderResolverAddress() + ":53";
                    },
                    () -> {
                        mtaSts.start(internet.tenants(), pki);
                        return "nginx serves MTA-STS policies on https://" + layout.mtaStsAddress() + ":" + layout.mtaStsPort();
                    },
                    () -> {
                        scanner.start(registries, layout.registryApiUrl(), apiKey, serversOfHost, layout.unboundAddress() + ":" + layout.unboundPort());
                        return "the registries of " + registries.stream().filter(RegistryPolicy::scansCds).map(RegistryPolicy::tld).toList()
                                + " scan their children's CDS; " + registries.stream().filter(r -> !r.scansCds()).map(RegistryPolicy::tld).toList()
                                + " take DS records by hand only";
                    },
                    () -> {
                        epp.start(pki, registryZones, layout.registryApiUrl(), apiKey);
                        return "the registries of " + registryZones + " speak EPP on " + EppRegistryProcess.ADDRESS + ":" + EppRegistryProcess.PORT;
                    }));
            writeEndpoints(internet, apiKey, registries);
            writeEppEndpoint(registryZones);
            progress.accept(String.format("lab up in %.1f s; endpoints in %s", (System.nanoTime() - started) / 1e9, layout.endpointsFile()));
            return true;
        } catch (RuntimeException e) {
            down();
            throw e;
        }
    }

    /**
     * Runs the starts side by side and returns when every one has ended, telling {@code progress} what each started, in
     * the order given. When one fails, the others still end first (so that down() finds every process it must stop),
     * and then the first failure is thrown.
     */
    private static void together(java.util.function.Consumer<String> progress, List<java.util.concurrent.Callable<String>> starts) {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(starts.size());
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            starts.forEach(start -> results.add(pool.submit(start)));
            RuntimeException failure = null;
            for (java.util.concurrent.Future<String> result : results) {
                try {
                    result.get().lines().forEach(progress);
                } catch (java.util.concurrent.ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } catch (InterruptedException e) {
            // the starts end before down() looks for what to stop
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException again) {
                // stopping anyway
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the lab", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Stops every server the lab started; returns the names of those that were running. */
    public List<String> down() {
        // Each server takes a second or two to shut down cleanly; stop them all at once.
        List<ServerProcess> all = processes();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(all.size());
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (ServerProcess process : all) {
                results.add(pool.submit(() -> process.stop(Duration.ofSeconds(20))));
            }
            List<String> stopped = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (results.get(i).get()) {
                    stopped.add(all.get(i).name());
                }
            }
            return stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the lab", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not stop a lab server: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    public Map<String, Boolean> status() {
        Map<String, Boolean> status = new LinkedHashMap<>();
        processes().forEach(p -> status.put(p.name(), p.alive()));
        return status;
    }

    private void writeEndpoints(LabInternet internet, String apiKey, List<RegistryPolicy> registries) {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("resolver", Map.of("address", layout.unboundAddress(), "port", layout.unboundPort()));
        endpoints.put("authoritative", List.of(
                Map.of("name", "powerdns", "nameServer", LabInternet.NS_POWERDNS.toString(true),
                        "address", layout.powerDnsAddress(), "port", layout.powerDnsPort()),
                // The registries' server (root and TLDs): where a parent's DS is asked for, and never written by mxshift.
                Map.of("name", "registry", "nameServer", LabInternet.NS_REGISTRY.toString(true),
                        "address", layout.registryAddress(), "port", layout.registryPort(),
                        "zones", internet.zones().stream().filter(z -> z.server() == LabZone.Server.REGISTRY && !z.origin().equals(Name.root))
                                .map(z -> z.origin().toString(true)).toList(),
                        "delegationsOnly", true),
                Map.of("name", "bind", "nameServer", LabInternet.NS_BIND.toString(true),
                        "address", layout.bindAddress(), "port", layout.bindPort(), "rndcConf", bind.rndcConf().toString(),
                        "signableZoneTtl", BindServer.SIGNABLE_ZONE_TTL,
                        "zones", internet.bindZones().stream().map(z -> z.toString(true)).toList(),
                        "secondaryZones", internet.zones().stream().filter(LabZone::secondaryOnBind)
                                .map(z -> z.origin().toString(true)).toList())));
        // The DNS operator's own signed zone (the tenant zones' name servers are in it), which takes RFC 9615 signals.
        String operatorZone = LabInternet.NS_POWERDNS.toString(true).substring(LabInternet.NS_POWERDNS.toString(true).indexOf('.') + 1);
        endpoints.put("signallingZones", List.of(Map.of("zone", operatorZone, "server", "powerdns")));
        endpoints.put("tsig", Map.of("name", BindServer.TSIG_NAME, "algorithm", BindServer.TSIG_ALGORITHM, "secret", bind.tsigSecret()));
        endpoints.put("powerdnsApi", Map.of("url", layout.powerDnsApiUrl(), "serverId", "localhost", "apiKey", apiKey));
        // The registries' database (the root and the TLDs, where a DS is published): the lab's scanner, its registrar
        // desk and tests write there, as a registrar's or registry's own systems would.
        endpoints.put("registryApi", Map.of("url", layout.registryApiUrl(), "serverId", "localhost", "apiKey", apiKey));
        endpoints.put("smtp", List.of(
                Map.of("role", "target", "address", layout.smtpGoodAddress(), "port", layout.smtpPort()),
                Map.of("role", "certificate-mismatch", "address", layout.smtpMismatchAddress(), "port", layout.smtpPort()),
                Map.of("role", "legacy", "address", layout.smtpLegacyAddress(), "port", layout.smtpPort())));
        Map<String, Object> mailFlow = new LinkedHashMap<>();
        mailFlow.put("submission", Map.of("address", layout.mailSenderAddress(), "port", layout.mailSenderSubmissionPort()));
        mailFlow.put("senderDomain", MailSenderServer.HOSTNAME);
        mailFlow.put("senderMaillog", mailSender.maillog().toString());
        mailFlow.put("senderResolver", Map.of("address", layout.mailSenderResolverAddress(), "port", 53,
                "cacheMaxTtl", SENDER_CACHE_MAX_TTL));
        mailFlow.put("queueLifetimeSeconds", SENDER_QUEUE_LIFETIME.toSeconds());
        mailFlow.put("endpointsMaildir", layout.postfix().resolve(PostfixServer.MAILDIR).toString());
        mailFlow.put("endpointsMaillog", layout.postfix().resolve("maillog").toString());
        endpoints.put("mailFlow", mailFlow);
        endpoints.put("mtaSts", Map.of("address", layout.mtaStsAddress(), "port", layout.mtaStsPort()));
        endpoints.put("resolvConf", unbound.resolvConf().toString());
        endpoints.put("trustAnchorFile", unbound.trustAnchorFile().toString());
        endpoints.put("caFile", layout.pki().resolve("ca.pem").toString());
        // Per TLD: how its registry takes DS records, where its (PowerDNS-served) zone is, and the scanner's log.
        Map<String, Object> registrySection = new LinkedHashMap<>();
        for (RegistryPolicy r : registries) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dsPolicy", r.scansCds() ? "cds" : "manual");
            entry.put("parentServers", List.of(layout.registryAddress() + ":" + layout.registryPort()));
            if (r.scansCds()) {
                entry.put("observations", r.observations());
                entry.put("scanIntervalMillis", r.scanInterval().toMillis());
                entry.put("dsTtl", r.dsTtl());
                entry.put("negativeTtl", RegistryPolicy.LAB_NEGATIVE_TTL);
                entry.put("authenticatedBootstrap", r.authenticatedBootstrap());
                entry.put("scannerLog", scanner.logOf(r.tld()).toString());
            }
            registrySection.put(r.tld(), entry);
        }
        endpoints.put("registries", registrySection);
        List<Map<String, Object>> tenants = new ArrayList<>();
        // An inventory of every lab tenant in the import's CSV format: what the demo, discovery's tests and the
        // benchmarks feed mxshift. The connector is where the zone is hosted (BIND zones through RFC 2136).
        StringBuilder inventory = new StringBuilder("tenant,domain,connector,zone,dnssec_mx_value,wave,tags\n");
        for (LabInternet.Tenant t : internet.tenants()) {
            String connector = t.spec().hosting().equals("bind") ? "lab-bind" : "lab-powerdns";
            inventory.append(t.spec().tenant()).append(',').append(t.domain().value()).append(',').append(connector)
                    .append(',').append(t.domain().value()).append(',')
                    .append(t.targetHost() == null ? "" : t.targetHost().toString(true)).append(",lab,").append(t.spec().name()).append('\n');
        }
        for (LabInternet.Tenant t : internet.tenants()) {
            Map<String, Object> tenant = new LinkedHashMap<>();
            tenant.put("domain", t.domain().value());
            tenant.put("tenant", t.spec().tenant());
            tenant.put("scenario", t.spec().name());
            // Where the zone is served (powerdns, bind, both, foreign-ns), or that no lab server hosts it (none, lame).
            tenant.put("hosting", t.spec().hosting());
            tenant.put("legacyHost", t.legacyHost().toString(true));
            tenant.put("targetHost", t.targetHost() == null ? null : t.targetHost().toString(true));
            tenant.put("expect", t.spec().expect());
            // What the zone sweep must find in this zone, and nothing else (OWNER TYPE KIND, owners relative to the zone).
            tenant.put("sweep", t.spec().sweep());
            tenants.add(tenant);
        }
        try {
            Files.writeString(layout.endpointsFile(), JSON.writeValueAsString(endpoints));
            Files.setPosixFilePermissions(layout.endpointsFile(), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(layout.directory().resolve("tenants.json"), JSON.writeValueAsString(tenants));
            Files.writeString(layout.directory().resolve("inventory.csv"), inventory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The EPP server's entry in endpoints.json, added beside the others. */
    private void writeEppEndpoint(List<String> registryZones) {
        try {
            var endpoints = (tools.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(layout.endpointsFile()));
            endpoints.set("epp", JSON.valueToTree(epp.endpoint(registryZones)));
            Files.writeString(layout.endpointsFile(), JSON.writeValueAsString(endpoints));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void cleanDirectory() {
        try {
            if (Files.exists(layout.directory())) {
                try (var files = Files.walk(layout.directory())) {
                    files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(layout.directory()))
                            .forEach(p -> p.toFile().delete());
                }
            }
            for (Path dir : List.of(layout.powerDns(), layout.registryDns(), layout.unbound(), layout.bind(), layout.postfix(), layout.pki(), layout.mtaSts(), layout.registry(),
                    layout.mailSender())) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + layout.directory(), e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
