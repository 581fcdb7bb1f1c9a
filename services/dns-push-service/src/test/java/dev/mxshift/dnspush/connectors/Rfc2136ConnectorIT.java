package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * The RFC 2136 connector against the lab's real BIND (an inline-signed zone that takes TSIG-signed updates only),
 * through the conformance kit; "elsewhere" is BIND's own nsupdate, signed with the same key.
 */
class Rfc2136ConnectorIT extends ConnectorKitFixture {

    private String server;
    private Path keyFile;

    Rfc2136ConnectorIT() {
        super(new Rfc2136Connector.Factory(), "alpineskihouse.com");
    }

    @BeforeAll
    void up() throws Exception {
        ConnectorLab lab = closedAfterAll(ConnectorLab.up("lab-rfc2136"));
        JsonNode tsig = lab.tsig();
        server = ConnectorLab.hostAndPort(lab.authoritative("bind"));
        Path secret = lab.tsigSecretFile();
        keyFile = lab.nsupdateKeyFile();
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", tsig.path("name").asString(),
                "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret);
        connector = registry.create("lab-bind", "rfc2136", settings);
        wrong = registry.create("lab-bind-wrong", "rfc2136", lab.withWrongTsigSecret(settings));
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Nsupdate.replace(keyFile, server, zone(), set);
    }
}
