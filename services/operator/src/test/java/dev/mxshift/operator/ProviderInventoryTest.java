package dev.mxshift.operator;

import dev.mxshift.connector.ListedZone;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderInventoryTest {

    private static final ZoneTenantMapping MAPPING = ZoneTenantMapping.parse("map.csv", """
            zone,tenant
            route53-only.com,tenant-r53
            overridden.com,tenant-from-file
            account:cf-acc-2,tenant-cf-two
            """).mapping();

    @Test
    void theMappingFileComesFirstThenItsAccountRowsThenTheProvidersAccountName() {
        ProviderInventory.Result result = ProviderInventory.decide(List.of(
                new ProviderInventory.Listing("pdns", List.of(new ListedZone("contoso.com.", "tenant-contoso", "tenant-contoso"),
                        new ListedZone("overridden.com", "tenant-pdns", "tenant-pdns"))),
                new ProviderInventory.Listing("cf", List.of(new ListedZone("fabrikam.com", "cf-acc-2", "Fabrikam Ltd"))),
                new ProviderInventory.Listing("r53", List.of(ListedZone.withoutAccount("route53-only.com")))), MAPPING);

        assertThat(result.rows()).extracting(r -> r.tenant() + "," + r.domain() + "," + r.connector() + "," + r.zone() + " <- " + r.why())
                .containsExactly(
                        "tenant-contoso,contoso.com,pdns,contoso.com <- the provider's account",
                        "tenant-from-file,overridden.com,pdns,overridden.com <- map.csv:3",
                        "tenant-cf-two,fabrikam.com,cf,fabrikam.com <- map.csv:4",
                        "tenant-r53,route53-only.com,r53,route53-only.com <- map.csv:2");
        assertThat(result.leftOut()).isEmpty();
    }

    @Test
    void aZoneWithNoTenantIsLeftOutSayingWhatToAddAndNeverGuessedFromAnAccountId() {
        ProviderInventory.Result result = ProviderInventory.decide(List.of(
                new ProviderInventory.Listing("pdns", List.of(new ListedZone("lab-dns.net", null, null))),
                new ProviderInventory.Listing("cf", List.of(new ListedZone("tailspin.org", "023e105f4ecef8ad9ca31a8372d0c353", "Lab hoster"))),
                new ProviderInventory.Listing("r53", List.of(ListedZone.withoutAccount("northwind.net")))), MAPPING);

        assertThat(result.rows()).isEmpty();
        assertThat(result.leftOut()).extracting(Object::toString).containsExactly(
                "lab-dns.net (pdns): no tenant: the provider names no account for it and the mapping file has no row for it; add 'zone,tenant' to the mapping file",
                "tailspin.org (cf, account 'Lab hoster' (023e105f4ecef8ad9ca31a8372d0c353)): no tenant: its account 'Lab hoster' (023e105f4ecef8ad9ca31a8372d0c353)"
                        + " names no tenant and the mapping file maps neither the zone nor the account; add 'account:023e105f4ecef8ad9ca31a8372d0c353,TENANT'",
                "northwind.net (r53): no tenant: the provider names no account for it and the mapping file has no row for it; add 'zone,tenant' to the mapping file");
    }

    @Test
    void aZoneTwoConnectorsListIsKeptWithTheFirstAndTheSecondSaysSo() {
        ProviderInventory.Result result = ProviderInventory.decide(List.of(
                new ProviderInventory.Listing("lab-bind", List.of(ListedZone.withoutAccount("alpineskihouse.com"))),
                new ProviderInventory.Listing("zone-files", List.of(ListedZone.withoutAccount("AlpineSkiHouse.com")))),
                ZoneTenantMapping.parse("m", "zone,tenant\nalpineskihouse.com,tenant-alpine\n").mapping());

        assertThat(result.rows()).extracting(ProviderInventory.Row::connector).containsExactly("lab-bind");
        assertThat(result.leftOut()).extracting(Object::toString).containsExactly("alpineskihouse.com (zone-files): also listed by lab-bind,"
                + " where the inventory has it (one connector per domain); name the right one with --mapping or leave lab-bind out");
    }

    @Test
    void theInventoryIsWrittenInTheImportsColumnsAndWhatTheImportWouldRefuseIsLeftOut() {
        InventoryFrom.Outcome outcome = InventoryFrom.run(List.of(), MAPPING, line -> { });
        assertThat(outcome.csv()).isEqualTo("tenant,domain,connector,zone\n");

        ProviderInventory.Result decided = ProviderInventory.decide(List.of(new ProviderInventory.Listing("pdns", List.of(
                new ListedZone("contoso.com", "tenant-contoso", "tenant-contoso"), new ListedZone("com", "tenant-registry", "tenant-registry")))),
                ZoneTenantMapping.EMPTY);
        assertThat(InventoryFrom.csv(decided.rows())).as("by zone").isEqualTo("tenant,domain,connector,zone\ntenant-registry,com,pdns,com\n"
                + "tenant-contoso,contoso.com,pdns,contoso.com\n");
        InventoryFrom.Outcome importable = InventoryFrom.importable(decided, List.of(), 2);
        assertThat(importable.csv()).isEqualTo("tenant,domain,connector,zone\ntenant-contoso,contoso.com,pdns,contoso.com\n");
        assertThat(importable.leftOut()).extracting(Object::toString)
                .containsExactly("com (pdns): the import would refuse it: domain: 'com' is a single label; a mail domain has at least two (contoso.com)");
        assertThat(importable.summary()).isEqualTo("inventory-from: 2 zones listed, 1 in the inventory, 1 left out");
        assertThat(InventoryFrom.leftOutCsv(List.of(new ProviderInventory.LeftOut("cf", "tailspin.org", "'Lab hoster'", "no tenant: a, b"))))
                .isEqualTo("connector,zone,account,reason\ncf,tailspin.org,\"'Lab hoster'\",\"no tenant: a, b\"\n");
    }
}
