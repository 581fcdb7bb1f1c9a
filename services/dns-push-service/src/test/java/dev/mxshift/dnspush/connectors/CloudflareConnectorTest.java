package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.engine.ResilientConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Cloudflare connector against a local server that answers as Cloudflare's API v4 documents: the conformance
 * kit, and throttling (429) ridden out by the engine's retries.
 */
class CloudflareConnectorTest extends ConnectorKitFixture {

    private CloudflareApiServer cloudflare;

    CloudflareConnectorTest() {
        super(new CloudflareConnector.Factory(), "contoso.com");
    }

    @BeforeAll
    void up() throws Exception {
        cloudflare = closedAfterAll(new CloudflareApiServer("cf-token-1", "contoso.com", "fabrikam.com"));
        connector = new CloudflareConnector("cloudflare-main", cloudflare.url(), "cf-token-1", Duration.ofSeconds(5));
        wrong = new CloudflareConnector("cloudflare-wrong", cloudflare.url(), "not-the-token", Duration.ofSeconds(5));
    }

    @Override
    protected void editElsewhere(RrSet set) throws Exception {
        cloudflare.edit(zone(), set);
    }

    /** fabrikam.com: DNSSEC never enabled at the stand-in. Its servers are Cloudflare's: none here, so the kit checks the connector's word. */
    @Override
    protected String unsignedZone() {
        return "fabrikam.com";
    }

    /** Cloudflare writes the SOA itself and keeps it out of its record listing. */
    @Override
    protected boolean wholeZoneHasSoa() {
        return false;
    }

    /**
     * The zone sweep's read: every record of a zone of 1,204 records, page after page of the documented listing, as record
     * sets in presentation form (an SRV's fields from {@code data}, MX priority apart from content, names with their dot).
     */
    @Test
    void aWholeZoneIsReadPageAfterPageAsRecordSetsInPresentationForm() throws Exception {
        try (CloudflareApiServer big = new CloudflareApiServer("cf-token-3", "woodgrove.com")) {
            for (int i = 0; i < 1200; i++) {
                big.edit("woodgrove.com", new RrSet("host" + i + ".woodgrove.com", "A", 300, List.of("192.0.2." + (i % 250 + 1))));
            }
            RrSet relay = new RrSet("relay.woodgrove.com", "CNAME", 3600, List.of("woodgrove-com.mail.protection.outlook.com."));
            RrSet srv = new RrSet("_submission._tcp.woodgrove.com", "SRV", 3600, List.of("10 5 587 woodgrove-com.mail.protection.outlook.com."));
            RrSet mx = new RrSet("woodgrove.com", "MX", 3600, List.of("0 woodgrove-com.mail.protection.outlook.com.", "10 backup.woodgrove.com."));
            RrSet spf = new RrSet("woodgrove.com", "TXT", 3600, List.of("\"v=spf1 ip4:52.101.68.10 include:spf.protection.outlook.com -all\""));
            for (RrSet set : List.of(relay, srv, mx, spf)) {
                big.edit("woodgrove.com", set);
            }
            CloudflareConnector reader = new CloudflareConnector("cloudflare-big", big.url(), "cf-token-3", Duration.ofSeconds(5));

            List<RrSet> zone = reader.readZone("woodgrove.com");

            assertThat(zone).hasSize(1204).extracting(s -> s.owner() + " " + s.type()).doesNotHaveDuplicates();
            for (RrSet set : List.of(relay, srv, mx, spf)) {
                assertThat(zone).as("%s", set).anySatisfy(read -> assertThat(read.sameAs(set)).isTrue());
            }
            assertThat(big.recordLists()).as("1,204 records, %d a page", CloudflareConnector.RECORDS_PER_PAGE).isEqualTo(3);
        }
    }

    @Test
    void theDsIsTheOneCloudflareNamesAndASecondSignMakesNoSecondKey() throws Exception {
        int keysBefore = cloudflare.keysMade("fabrikam.com");
        try {
            ZoneSigning signed = connector.sign("fabrikam.com", SigningRequest.defaults());
            assertThat(signed.cds()).as("pending: Cloudflare signs and publishes CDS before it sees the DS").isEqualTo(CdsMode.PUBLISH);
            JsonNode dnssec = get("/zones/" + zoneId("fabrikam.com") + "/dnssec").path("result");
            assertThat(dnssec.path("status").asString()).isEqualTo("pending");
            assertThat(signed.ds()).containsExactly(dnssec.path("ds").asString().replaceFirst("^\\S+ \\d+ IN DS ", ""));
            connector.sign("fabrikam.com", SigningRequest.defaults());
            assertThat(cloudflare.keysMade("fabrikam.com")).as("keys Cloudflare made for two sign() calls").isEqualTo(keysBefore + 1);
            assertThat(connector.signing("fabrikam.com").keys()).isEqualTo(signed.keys());
        } finally {
            connector.publishCds("fabrikam.com", CdsMode.DELETE);
            connector.unsign("fabrikam.com");
        }
    }

    /**
     * Going unsigned the Cloudflare way: the delete form while the DS is still at the registrar (pending-disabled), where
     * an unsign is refused as retryable (Cloudflare keeps signing); once the DS is gone (disabled), the records are deleted.
     */
    @Test
    void unsigningWaitsUntilCloudflareNoLongerSeesTheDs() throws Exception {
        connector.sign("fabrikam.com", SigningRequest.defaults());
        cloudflare.dsAtRegistrar("fabrikam.com", true);
        try {
            assertThat(connector.publishCds("fabrikam.com", CdsMode.DELETE).cds()).isEqualTo(CdsMode.DELETE);
            assertThatThrownBy(() -> connector.unsign("fabrikam.com"))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.RETRYABLE));
            assertThat(connector.signing("fabrikam.com").signed()).as("still signed, serving the delete form").isTrue();
            assertThatThrownBy(() -> connector.publishCds("fabrikam.com", CdsMode.NONE))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED));
        } finally {
            cloudflare.dsAtRegistrar("fabrikam.com", false);
        }
        ZoneSigning unsigned = connector.unsign("fabrikam.com");
        assertThat(unsigned.signed()).isFalse();
        assertThat(unsigned.cds()).isEqualTo(CdsMode.NONE);
        assertThat(get("/zones/" + zoneId("fabrikam.com") + "/dnssec").path("result").path("modified_on").isNull()).as("deleted").isTrue();
    }

    private String zoneId(String zone) throws Exception {
        return get("/zones?name=" + zone).path("result").get(0).path("id").asString();
    }

    private JsonNode get(String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(cloudflare.url() + path)).header("Authorization", "Bearer cf-token-1").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return JsonHttp.JSON.readTree(response.body());
    }

    @Test
    void mxPriorityAndTlsaFieldsTravelApartFromContentAsCloudflareKeepsThem() throws Exception {
        RrSet mx = new RrSet("contoso.com", "MX", 300, List.of("0 contoso-com.mail.protection.outlook.com.", "20 contoso-com.o-v1.mx.microsoft."));
        connector.apply(new RrSetChange("contoso.com", "contoso.com", "MX", connector.read("contoso.com", "contoso.com", "MX").orElse(null), mx));
        assertThat(connector.read("contoso.com", "contoso.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(mx)).isTrue());
        assertThat(connector.listZones()).containsExactly("contoso.com", "fabrikam.com");
    }

    @Test
    void throttlingIsRetriedWithBackoffAndTheChangeStillLandsOnce() throws Exception {
        ResilientConnector resilient = new ResilientConnector(connector, new ResilientConnector.Limits(1200, Duration.ofMinutes(5), 5,
                Duration.ofMillis(10), 4, 50, Duration.ofSeconds(30)));
        RrSet before = new RrSet("fabrikam.com", "MX", 3600, List.of("10 fabrikam-com.mail.protection.outlook.com."));
        cloudflare.edit("fabrikam.com", before);
        cloudflare.throttleEvery(3);
        try {
            PushOutcome outcome = ChangeEngine.push(resilient, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                    before.rdata().isEmpty() ? null : new RrSet("fabrikam.com", "MX", 300, before.rdata())), false);
            assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
            assertThat(resilient.retry().getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
        } finally {
            cloudflare.throttleEvery(0);
        }
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.ttl()).isEqualTo(300));
    }

    @Test
    void anUnknownZoneIsPermanentAndNamesNoToken() {
        try {
            connector.read("unknown.example", "unknown.example", "MX");
        } catch (ConnectorException e) {
            assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
            assertThat(e.getMessage()).doesNotContain("cf-token-1");
            return;
        }
        throw new AssertionError("an unknown zone must fail");
    }

    @Test
    void zonesAreListedWithTheirAccountPageByPage() throws Exception {
        cloudflare.account("fabrikam.com", "9a7806061c88ada191ed06f989cc3dac", "tenant-fabrikam");
        List<String> more = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            more.add("zone" + i + ".example");
        }
        try (CloudflareApiServer many = new CloudflareApiServer("cf-token-2", more.toArray(String[]::new))) {
            CloudflareConnector listing = new CloudflareConnector("cloudflare-many", many.url(), "cf-token-2", Duration.ofSeconds(5));
            assertThat(listing.listedZones()).as("two pages of 50").hasSize(60).extracting(ListedZone::zone).containsAll(more);
            assertThat(many.requests()).isEqualTo(2);
        }

        assertThat(((CloudflareConnector) connector).listedZones()).containsExactly(
                new ListedZone("contoso.com", CloudflareApiServer.DEFAULT_ACCOUNT[0], CloudflareApiServer.DEFAULT_ACCOUNT[1]),
                new ListedZone("fabrikam.com", "9a7806061c88ada191ed06f989cc3dac", "tenant-fabrikam"));
    }
}
