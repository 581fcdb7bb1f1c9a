package dev.mxshift.operator.system;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The services' configuration for the lab, from the lab's endpoints file: resolvers, trust anchor, the lab's
 * authoritative ports, the two DNS providers (PowerDNS through its API, BIND through RFC 2136 with TSIG and rndc) and
 * compressed waits. Secrets go into files readable by the owner only and are named by reference (file:...), so
 * they never appear on a command line or in a log (invariant 5).
 */
public final class LabServiceConfig {

    /**
     * How soon the lab's consumer groups take a killed service instance for dead (decision 0032): Kafka's default is 45 s,
     * which the crash tests spent after every kill with the services already up again. The broker's floor is 6 s
     * ({@code group.min.session.timeout.ms}); 10 s leaves a heartbeat thread starved by a loaded 2-core machine five
     * heartbeats before its process is taken for dead.
     */
    public static final int SESSION_TIMEOUT_MS = 10_000;
    public static final int HEARTBEAT_INTERVAL_MS = 2_000;

    private LabServiceConfig() {
    }

    /** Topic names: the catalogue's for the demo, unique ones in tests. */
    public record Topics(String events, String state, String deadLetterPrefix) {
        public static Topics catalogue() {
            return new Topics("migration.events", "migration.state", "migration.events.dlt.");
        }
    }

    public static Map<Service, List<String>> arguments(Path endpointsFile, Path secretsDir, String bootstrap, Topics topics,
                                                      long waitCompression) {
        return arguments(endpointsFile, secretsDir, bootstrap, topics, waitCompression, false);
    }

    /**
     * @param signUnsignedZones leave the unsigned-zone policy to its default (sign where the connector can, block
     *                          elsewhere) instead of {@code block}: the demo signs and chains the lab's unsigned zones; the
     *                          tests that do not exercise the DNSSEC stage keep {@code block} unless a row says otherwise
     */
    public static Map<Service, List<String>> arguments(Path endpointsFile, Path secretsDir, String bootstrap, Topics topics,
                                                      long waitCompression, boolean signUnsignedZones) {
        JsonNode lab;
        try {
            lab = JsonMapper.builder().build().readTree(endpointsFile.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read the lab's endpoints file " + endpointsFile + " (is the lab up?): " + e.getMessage(), e);
        }
        String resolver = lab.path("resolver").path("address").asString() + ":" + lab.path("resolver").path("port").asInt();
        List<String> ports = new ArrayList<>();
        lab.path("authoritative").forEach(s -> ports.add(s.path("address").asString() + "=" + s.path("port").asInt()));
        JsonNode bind = null;
        for (JsonNode s : lab.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                bind = s;
            }
        }
        Path apiKey = secret(secretsDir.resolve("powerdns-api-key"), lab.path("powerdnsApi").path("apiKey").asString());
        Path tsig = secret(secretsDir.resolve("tsig-secret"), lab.path("tsig").path("secret").asString());

        Map<Service, List<String>> args = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            List<String> a = new ArrayList<>(List.of(
                    "--spring.cloud.stream.kafka.binder.brokers=" + bootstrap,
                    "--spring.cloud.stream.bindings.events-in-0.destination=" + topics.events(),
                    "--spring.cloud.stream.bindings.events-out-0.destination=" + topics.events(),
                    "--mxshift.events.state-topic=" + topics.state(),
                    "--spring.cloud.stream.kafka.bindings.events-in-0.consumer.dlq-name=" + topics.deadLetterPrefix() + s.module(),
                    // A killed instance is taken for dead after 10 s, not Kafka's 45: its group (and the state projector's)
                    // stands still until then. Compressed like the waits; every start here takes about as long anyway.
                    "--spring.cloud.stream.kafka.binder.consumer-properties.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                    "--spring.cloud.stream.kafka.binder.consumer-properties.heartbeat.interval.ms=" + HEARTBEAT_INTERVAL_MS));
            args.put(s, a);
        }
        args.get(Service.DISCOVERY).addAll(List.of(
                "--mxshift.discovery.resolvers=" + resolver,
                "--mxshift.discovery.authoritative-ports=" + String.join(",", ports),
                "--mxshift.discovery.mta-sts-ca-file=" + lab.path("caFile").asString(),
                "--mxshift.discovery.mta-sts-port=" + lab.path("mtaSts").path("port").asInt()));
        args.get(Service.VALIDATION).addAll(List.of(
                "--mxshift.validation.resolver=" + resolver,
                "--mxshift.validation.trust-anchor-file=" + lab.path("trustAnchorFile").asString(),
                "--mxshift.validation.authoritative-ports=" + String.join(",", ports),
                // The lab's servers converge within seconds (BIND's secondary transfers on NOTIFY; the lab publishes the
                // new host's TLSA before the migration starts): check again every 2 s, for up to 2 minutes.
                "--mxshift.validation.verify-attempts=60",
                "--mxshift.validation.verify-interval=2s",
                "--mxshift.validation.dane-verify-attempts=60",
                "--mxshift.validation.dane-verify-interval=2s",
                // The lab's CDS-scanning registries take a DS within seconds (a few scans a second apart, a 2 s DS TTL).
                "--mxshift.validation.parent-verify-attempts=60",
                "--mxshift.validation.parent-verify-interval=2s"));
        // The DNSSEC stage: lab-powerdns signs its zones (BIND's secondaries transfer what it signs) and lab-bind its own
        // (named's dnssec-policy, set through rndc); each TLD's DS path is its registry's policy in the lab
        // (endpoints.json, registries).
        List<String> validation = args.get(Service.VALIDATION);
        if (!signUnsignedZones) {
            validation.add("--mxshift.validation.unsigned-zone.default-policy=block");
        }
        for (JsonNode server : lab.path("authoritative")) {
            if (server.path("name").asString().equals("powerdns")) {
                validation.add("--mxshift.validation.signing.connectors.lab-powerdns.name-servers=" + server.path("nameServer").asString());
            } else if (server.path("name").asString().equals("bind")) {
                validation.add("--mxshift.validation.signing.connectors.lab-powerdns.secondaries=" + server.path("nameServer").asString());
                validation.add("--mxshift.validation.signing.connectors.lab-bind.name-servers=" + server.path("nameServer").asString());
            }
        }
        lab.path("registries").properties().forEach(registry ->
                validation.add("--mxshift.validation.signing.parents." + registry.getKey() + "=" + registry.getValue().path("dsPolicy").asString()));
        List<String> push = args.get(Service.DNS_PUSH);
        push.addAll(List.of(
                "--mxshift.push.connectors[0].id=lab-powerdns",
                "--mxshift.push.connectors[0].type=powerdns",
                // The lab is one hoster's: its connectors serve every tenant's zones (decision 0021).
                "--mxshift.push.connectors[0].tenants=*",
                "--mxshift.push.connectors[0].settings.url=" + lab.path("powerdnsApi").path("url").asString(),
                "--mxshift.push.connectors[0].settings.api-key=file:" + apiKey,
                // The lab's PowerDNS keeps its zones in SQLite, which takes one write at a time; reads go alongside.
                "--mxshift.push.connectors[0].settings.max-concurrent-writes=1",
                "--mxshift.push.wait-compression=" + waitCompression));
        // The lab hoster's own signed zone, which holds its name servers' names: the cds path signs up its children there
        // with RFC 9615 signals, so the lab's .ch registry takes their DS after one scan.
        int signalling = 0;
        for (JsonNode zone : lab.path("signallingZones")) {
            if (zone.path("server").asString().equals("powerdns")) {
                push.add("--mxshift.push.signalling-zones[" + signalling + "].zone=" + zone.path("zone").asString());
                push.add("--mxshift.push.signalling-zones[" + signalling++ + "].connector=lab-powerdns");
            }
        }
        if (bind != null) {
            push.addAll(List.of(
                    // Records through RFC 2136 with the TSIG key; a zone's DNSSEC through rndc and named's dnssec-policy.
                    "--mxshift.push.connectors[1].id=lab-bind",
                    "--mxshift.push.connectors[1].type=bind",
                    "--mxshift.push.connectors[1].settings.rndc-conf=" + bind.path("rndcConf").asString(),
                    "--mxshift.push.connectors[1].tenants=*",
                    "--mxshift.push.connectors[1].settings.server=" + bind.path("address").asString() + ":" + bind.path("port").asInt(),
                    "--mxshift.push.connectors[1].settings.tsig-key-name=" + lab.path("tsig").path("name").asString(),
                    "--mxshift.push.connectors[1].settings.tsig-algorithm=" + lab.path("tsig").path("algorithm").asString(),
                    "--mxshift.push.connectors[1].settings.tsig-secret=file:" + tsig));
        }
        eppRegistrars(lab.path("epp"), push);
        return args;
    }

    /**
     * The lab registry's EPP server as the push service's registrars, for a parent whose DS path is set to {@code epp}
     * (docs/registrar-epp.md): one for the registry zones that take DS, one ({@code key-data}) for those that take DNSKEYs.
     * Unused while every parent takes another path. A lab without an EPP server (one brought up before it) gets none.
     */
    private static void eppRegistrars(JsonNode epp, List<String> push) {
        if (!epp.isObject()) {
            return;
        }
        List<String> keyData = new ArrayList<>();
        epp.path("keyDataZones").forEach(z -> keyData.add(z.asString()));
        List<String> dsData = new ArrayList<>();
        epp.path("zones").forEach(z -> {
            if (!keyData.contains(z.asString())) {
                dsData.add(z.asString());
            }
        });
        int i = 0;
        for (List<String> parents : List.of(dsData, keyData)) {
            if (parents.isEmpty()) {
                continue;
            }
            String r = "--mxshift.push.registrars[" + i + "].";
            push.addAll(List.of(r + "id=lab-registry" + (parents == keyData ? "-keys" : ""), r + "type=epp",
                    r + "parents=" + String.join(",", parents),
                    r + "settings.host=" + epp.path("host").asString(), r + "settings.port=" + epp.path("port").asInt(),
                    r + "settings.ca-file=" + epp.path("caFile").asString(), r + "settings.client-id=" + epp.path("clientId").asString(),
                    r + "settings.password=file:" + epp.path("passwordFile").asString(),
                    r + "settings.interface=" + (parents == keyData ? "key-data" : "ds-data")));
            i++;
        }
    }

    /** Writes a secret to a file only its owner can read, and returns its absolute path (for a {@code file:} reference). */
    public static Path secret(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
