package dev.mxshift.dnspush.connectors;

import dev.mxshift.lab.LabRun;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A lab of this module's tests (under {@code services/dns-push-service/target}) as a connector test uses it: its
 * endpoints, an authoritative server by name, and the secret files that a connector's {@code file:} settings name.
 */
public final class ConnectorLab implements AutoCloseable {

    /** A well-formed TSIG secret that is not the lab's. */
    private static final String WRONG_TSIG_SECRET = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final LabRun run;

    private ConnectorLab(LabRun run) {
        this.run = run;
    }

    /** Starts the lab in {@code services/dns-push-service/target/<name>}. */
    public static ConnectorLab up(String name) {
        return new ConnectorLab(LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/" + name)));
    }

    public JsonNode endpoints() {
        return run.endpoints();
    }

    /** The TSIG key the lab's servers take updates signed with: name, algorithm, secret. */
    public JsonNode tsig() {
        return endpoints().path("tsig");
    }

    /** The lab's PowerDNS HTTP API: url, apiKey. */
    public JsonNode powerDnsApi() {
        return endpoints().path("powerdnsApi");
    }

    /** The authoritative server the lab names {@code name} ("bind", "powerdns"). */
    public JsonNode authoritative(String name) {
        for (JsonNode server : endpoints().path("authoritative")) {
            if (server.path("name").asString().equals(name)) {
                return server;
            }
        }
        throw new IllegalStateException("the lab names no " + name + " server");
    }

    public static InetSocketAddress address(JsonNode server) {
        return new InetSocketAddress(server.path("address").asString(), server.path("port").asInt());
    }

    /** The server's address as a connector's {@code server} setting takes it: host:port. */
    public static String hostAndPort(JsonNode server) {
        return server.path("address").asString() + ":" + server.path("port").asInt();
    }

    /** The file {@code name} in the lab's directory, holding {@code content}. */
    public Path secretFile(String name, String content) {
        try {
            return Files.writeString(run.directory().resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path tsigSecretFile() {
        return secretFile("tsig-secret", tsig().path("secret").asString());
    }

    /** The same settings of a TSIG-signing connector with a secret the lab's servers refuse. */
    public Map<String, String> withWrongTsigSecret(Map<String, String> settings) {
        Map<String, String> wrong = new HashMap<>(settings);
        wrong.put("tsig-secret", "file:" + secretFile("wrong-tsig-secret", WRONG_TSIG_SECRET));
        return wrong;
    }

    /** The lab's TSIG key as BIND's nsupdate -k reads it. */
    public Path nsupdateKeyFile() {
        return secretFile("nsupdate.key", "key \"" + tsig().path("name").asString() + "\" {\n algorithm " + tsig().path("algorithm").asString()
                + ";\n secret \"" + tsig().path("secret").asString() + "\";\n};\n");
    }

    @Override
    public void close() {
        run.close();
    }
}
