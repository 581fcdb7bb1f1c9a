package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.conformance.ConnectorConformanceKit;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 2136 connector against the lab's real BIND (an inline-signed zone that takes TSIG-signed updates only),
 * through the conformance kit; "elsewhere" is BIND's own nsupdate, signed with the same key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Rfc2136ConnectorIT extends ConnectorConformanceKit {

    @Override
    protected dev.mxshift.connector.ConnectorFactory factory() {
        return new Rfc2136Connector.Factory();
    }

    private LabRun lab;
    private JsonNode tsig;
    private String server;
    private Path keyFile;
    private DnsConnector connector;
    private DnsConnector wrong;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-rfc2136"));
        JsonNode endpoints = lab.endpoints();
        tsig = endpoints.path("tsig");
        JsonNode bind = null;
        for (JsonNode s : endpoints.path("authoritative")) {
            if (s.path("name").asString().equals("bind")) {
                bind = s;
            }
        }
        server = bind.path("address").asString() + ":" + bind.path("port").asInt();
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, tsig.path("secret").asString());
        Path wrongSecret = lab.directory().resolve("wrong-tsig-secret");
        Files.writeString(wrongSecret, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        keyFile = lab.directory().resolve("nsupdate.key");
        Files.writeString(keyFile, "key \"" + tsig.path("name").asString() + "\" {\n algorithm " + tsig.path("algorithm").asString()
                + ";\n secret \"" + tsig.path("secret").asString() + "\";\n};\n");
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", tsig.path("name").asString(),
                "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret);
        connector = registry.create("lab-bind", "rfc2136", settings);
        Map<String, String> wrongSettings = new java.util.HashMap<>(settings);
        wrongSettings.put("tsig-secret", "file:" + wrongSecret);
        wrong = registry.create("lab-bind-wrong", "rfc2136", wrongSettings);
    }

    @AfterAll
    void down() {
        lab.close();
    }

    @Override
    protected DnsConnector connector() {
        return connector;
    }

    @Override
    protected DnsConnector connectorWithWrongCredentials() {
        return wrong;
    }

    @Override
    protected String zone() {
        return "alpineskihouse.com";
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        String[] hostPort = server.split(":");
        StringBuilder script = new StringBuilder("server " + hostPort[0] + " " + hostPort[1] + "\nzone " + zone() + "\n"
                + "update delete " + set.owner() + ". " + set.type() + "\n");
        for (String rdata : set.rdata()) {
            script.append("update add ").append(set.owner()).append(". ").append(set.ttl()).append(' ').append(set.type()).append(' ').append(rdata).append('\n');
        }
        script.append("send\n");
        Process process = new ProcessBuilder("nsupdate", "-k", keyFile.toString()).redirectErrorStream(true).start();
        process.getOutputStream().write(script.toString().getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("nsupdate: %s", output).isZero();
    }
}
