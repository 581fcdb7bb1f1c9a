package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BIND connector against the lab's real BIND 9.18: records through RFC 2136 (the kit's record tests, on the
 * lab's TSIG-updated alpineskihouse.com), DNSSEC through rndc and named's own dnssec-policy. Each DNSSEC test of the
 * kit gets a zone of its own, added with {@code rndc addzone} as a hoster's provisioning would, since named keeps a
 * zone that once published a DS on its way out for a day (the built-in insecure policy's parent DS TTL).
 */
class BindConnectorIT extends BindSigningKit {

    private String server;
    private Path rndcConf;
    private Path keyFile;
    private JsonNode tsig;

    BindConnectorIT() {
        super(new BindConnector.Factory(), "alpineskihouse.com");
    }

    @BeforeAll
    void up() throws Exception {
        ConnectorLab lab = closedAfterAll(ConnectorLab.up("lab-bind-signing"));
        tsig = lab.tsig();
        JsonNode bind = lab.authoritative("bind");
        server = ConnectorLab.hostAndPort(bind);
        rndcConf = Path.of(bind.path("rndcConf").asString());
        assertThat(bind.path("signableZoneTtl").asLong()).as("signableZoneTtl of the lab's BIND").isPositive();
        Path secret = lab.tsigSecretFile();
        keyFile = lab.nsupdateKeyFile();
        ConnectorRegistry registry = new ConnectorRegistry();
        Map<String, String> settings = Map.of("server", server, "tsig-key-name", tsig.path("name").asString(),
                "tsig-algorithm", tsig.path("algorithm").asString(), "tsig-secret", "file:" + secret, "rndc-conf", rndcConf.toString());
        connector = registry.create("lab-bind-signing", "bind", settings);
        wrong = registry.create("lab-bind-signing-wrong", "bind", lab.withWrongTsigSecret(settings));
        signingAt(bind, tsig.path("name").asString(), "bind-signing.test");
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        Nsupdate.replace(keyFile, server, zone(), set);
    }

    /**
     * A zone written in named.conf would lose its policy at the next reconfig: the connector refuses to sign it. The lab
     * keeps its offline-signed broken zones there (its tenant zones are added ones, like the kit's).
     */
    @Test
    void aZoneConfiguredInNamedConfIsNotSignedThroughRndc() {
        assertThatThrownBy(() -> connector.sign("expired-signatures.com", SigningRequest.defaults()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("named.conf").contains("rndc addzone");
                });
    }

    @Test
    void anUnknownZoneIsAPermanentFailure() {
        assertThatThrownBy(() -> connector.signing("not-hosted.invalid"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT));
    }

    @Test
    void noSecretOfTheRndcKeyOrTsigIsInAnError() throws Exception {
        String rndcFile = Files.readString(rndcConf);
        String rndcSecret = rndcFile.replaceAll("(?s).*secret \"([^\"]+)\".*", "$1");
        assertThatThrownBy(() -> connector.signing("not-hosted.invalid"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .doesNotContain(rndcSecret).doesNotContain(tsig.path("secret").asString()));
    }
}
