package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PowerDNS connector against the lab's real PowerDNS, through the conformance kit and its own extras. */
class PowerDnsConnectorIT extends ConnectorKitFixture {

    private ConnectorLab lab;
    private JsonNode api;

    PowerDnsConnectorIT() {
        super(new PowerDnsConnector.Factory(), "contoso.com");
    }

    @BeforeAll
    void up() throws Exception {
        lab = closedAfterAll(ConnectorLab.up("lab-powerdns"));
        api = lab.powerDnsApi();
        Path key = lab.secretFile("powerdns-api-key", api.path("apiKey").asString());
        Path wrongKey = lab.secretFile("wrong-api-key", "not-the-key");
        ConnectorRegistry registry = new ConnectorRegistry();
        connector = registry.create("lab-powerdns", "powerdns", Map.of("url", api.path("url").asString(), "api-key", "file:" + key));
        wrong = registry.create("lab-powerdns-wrong", "powerdns", Map.of("url", api.path("url").asString(), "api-key", "file:" + wrongKey));
    }

    /** northwind.net: unsigned on the lab's PowerDNS, and its parent net. has no DS for it. */
    @Override
    protected String unsignedZone() {
        return "northwind.net";
    }

    @Override
    protected List<InetSocketAddress> authoritativeServers() {
        return List.of(ConnectorLab.address(lab.authoritative("powerdns")));
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        StringBuilder records = new StringBuilder();
        for (String rdata : set.rdata()) {
            records.append(records.length() == 0 ? "" : ",").append("{\"content\":\"").append(rdata.replace("\"", "\\\"")).append("\",\"disabled\":false}");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/" + zone() + "."))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"rrsets\":[{\"name\":\"" + set.owner() + ".\",\"type\":\"" + set.type()
                        + "\",\"ttl\":" + set.ttl() + ",\"changetype\":\"REPLACE\",\"records\":[" + records + "]}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    @Test
    void listsEveryZoneOfTheServer() throws ConnectorException {
        assertThat(connector.listZones()).contains("contoso.com", "fabrikam.com", "mx.microsoft").hasSizeGreaterThan(20);
    }

    @Test
    void theApiKeyAppearsInNoErrorMessage() {
        try {
            wrong.read(zone(), owner(), "MX");
        } catch (ConnectorException e) {
            assertThat(e.getMessage()).doesNotContain(api.path("apiKey").asString()).doesNotContain("not-the-key");
            assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
            return;
        }
        throw new AssertionError("a wrong API key must be refused");
    }

}
