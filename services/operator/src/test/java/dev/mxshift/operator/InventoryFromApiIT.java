package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /inventory-from} over the fixture's zone files (own-a.com, second-a.com, other-b.com): an all-tenants token
 * gets the inventory its mapping gives and the zone left out; a tenant's token is refused whole, with its own zones in
 * the mapping too; a bad mapping is 400 naming the line.
 */
class InventoryFromApiIT {

    private static final ApiTokens.NewToken TENANT_A = ApiTokens.generate("t-a-portal", "t-a");
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");
    private static final String MAPPING = "zone,tenant\nown-a.com,t-a\nsecond-a.com,t-a\n";

    private static ApiFixture fixture;
    private static String base;

    @BeforeAll
    static void serve() throws Exception {
        fixture = new ApiFixture(TENANT_A.line(), HOSTER.line());
        base = "http://127.0.0.1:" + fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0))).port() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return ApiFixture.call(HttpClient.newHttpClient(), base + path, "POST", token, body, body == null ? null : "text/csv");
    }

    @Test
    void anAllTenantsTokenGetsTheInventoryItsMappingGivesAndTheZoneWithNoTenantLeftOut() throws Exception {
        HttpResponse<String> answer = post("/inventory-from", HOSTER.token(), MAPPING);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.path("complete").asBoolean()).isTrue();
        assertThat(body.path("zonesListed").asInt()).isEqualTo(3);
        assertThat(body.path("inventory").asString()).isEqualTo("tenant,domain,connector,zone\n"
                + "t-a,own-a.com,zone-files,own-a.com\nt-a,second-a.com,zone-files,second-a.com\n");
        assertThat(body.path("leftOut")).hasSize(1);
        assertThat(body.path("leftOut").get(0).path("zone").asString()).isEqualTo("other-b.com");
        assertThat(body.path("leftOut").get(0).path("reason").asString()).startsWith("no tenant: ");
        assertThat(body.path("failures")).isEmpty();
        assertThat(fixture.audit).anySatisfy(line -> assertThat(line).contains("noc").contains("inventory-from"));
    }

    @Test
    void aTenantsTokenIsRefusedEvenForItsOwnZones() throws Exception {
        HttpResponse<String> answer = post("/inventory-from", TENANT_A.token(), MAPPING);

        assertThat(answer.statusCode()).isEqualTo(403);
        JsonNode error = Json.MAPPER.readTree(answer.body());
        assertThat(error.path("code").asString()).isEqualTo("FORBIDDEN_TENANT");
        assertThat(error.path("error").asString()).contains("all-tenants token only").doesNotContain("own-a.com");
    }

    @Test
    void aBadMappingIsRefusedNamingTheLineAndAnUnknownConnectorIsNamed() throws Exception {
        HttpResponse<String> bad = post("/inventory-from", HOSTER.token(), "zone,tenant\nown-a.com,not a tenant\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(bad.body()).path("error").asString()).contains("body:2: tenant: ");

        HttpResponse<String> unknown = post("/inventory-from?connector=lab-powerdns", HOSTER.token(), null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("error").asString()).isEqualTo("no connector named lab-powerdns; there are: zone-files");
    }
}
