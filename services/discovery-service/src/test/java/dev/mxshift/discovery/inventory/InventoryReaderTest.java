package dev.mxshift.discovery.inventory;

import dev.mxshift.model.dns.DomainName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void everyGoodRowIsAcceptedAndEveryBadOneListedWithFileLineFieldAndReason() throws IOException {
        Path csv = file("tenants.csv", """
                tenant,domain,connector,zone,dnssec_mx_value,wave,tags
                acme,contoso.com,powerdns-main,contoso.com,contoso-com.o-v1.mx.microsoft,canary,vip;eu
                acme,*.fabrikam.com,powerdns-main,fabrikam.com,,canary,
                acme,www.northwind.net,powerdns-main,contoso.com,,,
                acme,tailspin.org,powerdns-main,tailspin.org,tailspin-org.mail.protection.outlook.com,,
                globex,litware.com,PowerDNS Main,litware.com,,,
                globex,bücher.de,route53-prod,xn--bcher-kva.de,,wave 2,
                globex,adatum.com,route53-prod,adatum.com
                globex,woodgrovebank.com,route53-prod,woodgrovebank.com,,w2,
                """);
        CollectingSink sink = new CollectingSink();
        InventoryReader.Summary summary = new InventoryReader().read(csv, sink);

        assertThat(sink.accepted).extracting(r -> r.domain().value()).containsExactly("contoso.com", "woodgrovebank.com");
        InventoryRow contoso = sink.accepted.get(0);
        assertThat(contoso.line()).isEqualTo(2);
        assertThat(contoso.targetHost()).isEqualTo(DomainName.of("contoso-com.o-v1.mx.microsoft"));
        assertThat(contoso.provider().connectorId()).isEqualTo("powerdns-main");
        assertThat(contoso.wave()).isEqualTo("canary");
        assertThat(contoso.tags()).containsExactly("vip", "eu");
        assertThat(sink.accepted.get(1).line()).isEqualTo(9);

        assertThat(sink.rejected).extracting(InventoryProblem::toString).containsExactly(
                csv + ":3: domain: '*.fabrikam.com' is a wildcard; name each domain explicitly (wildcards are not domains that receive mail)",
                csv + ":4: zone: domain www.northwind.net is not in zone contoso.com",
                csv + ":5: dnssec_mx_value: 'tailspin-org.mail.protection.outlook.com' is not an mx.microsoft host; use the DnssecMxValue that Enable-DnssecForVerifiedDomain returned",
                csv + ":6: connector: 'PowerDNS Main' must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit (it names a configured connector)",
                csv + ":7: wave: 'wave 2' must be 1-64 letters, digits, '.', '_' or '-'",
                csv + ":8: row: has 4 values; the header names 7 columns");
        assertThat(summary).isEqualTo(new InventoryReader.Summary(2, 6, false));
    }

    @Test
    void theSameDomainTwiceIsReportedAlsoInAnotherSpellingAndAcrossFiles() throws IOException {
        Path first = file("a.csv", "tenant,domain,connector,zone\nacme,bücher.de,pdns,bücher.de\nacme,contoso.com,pdns,contoso.com\n");
        Path second = file("b.jsonl", """
                {"tenant":"acme","domain":"XN--BCHER-KVA.DE.","connector":"pdns","zone":"xn--bcher-kva.de"}
                {"tenant":"acme","domain":"fabrikam.com","connector":"pdns","zone":"fabrikam.com"}
                {"tenant":"acme","domain":"Contoso.COM","connector":"pdns","zone":"contoso.com"}
                """);
        InventoryReader reader = new InventoryReader();
        CollectingSink sink = new CollectingSink();
        reader.read(first, sink);
        reader.read(second, sink);
        assertThat(sink.accepted).extracting(r -> r.domain().value()).containsExactly("xn--bcher-kva.de", "contoso.com", "fabrikam.com");
        assertThat(sink.rejected).extracting(InventoryProblem::toString).containsExactly(
                second + ":1: domain: xn--bcher-kva.de (bücher.de) is already in the inventory (first at line 2)",
                second + ":3: domain: contoso.com is already in the inventory (first at line 3)");
    }

    @Test
    void theUnsignedZonePolicyIsReadPerRowAndABadOneIsRefusedWithTheChoices() throws IOException {
        Path csv = file("policy.csv", """
                tenant,domain,connector,zone,unsigned_zone
                acme,contoso.com,pdns,contoso.com,migrate-insecure
                acme,fabrikam.com,pdns,fabrikam.com,
                acme,northwind.net,pdns,northwind.net,Block
                acme,tailspin.org,pdns,tailspin.org,maybe
                """);
        CollectingSink sink = new CollectingSink();
        new InventoryReader().read(csv, sink);
        assertThat(sink.accepted).extracting(InventoryRow::unsignedZone).containsExactly(
                dev.mxshift.model.event.UnsignedZonePolicy.MIGRATE_INSECURE, null, dev.mxshift.model.event.UnsignedZonePolicy.BLOCK);
        assertThat(sink.rejected).extracting(InventoryProblem::toString).containsExactly(
                csv + ":5: unsigned_zone: 'maybe' is not one of sign, migrate-insecure, block");
        assertThat(MigrationRequests.of(sink.accepted.get(0), "test", java.time.Instant.EPOCH).state().unsignedZone())
                .isEqualTo(dev.mxshift.model.event.UnsignedZonePolicy.MIGRATE_INSECURE);
    }

    @Test
    void aSingleLabelNameIsRefusedWithItsReasonAsOtherMalformedNamesAre() throws IOException {
        Path csv = file("single.csv", """
                tenant,domain,connector,zone
                acme,localhost,pdns,localhost
                acme,intranet.,pdns,intranet
                acme,contoso.com,pdns,contoso.com
                """);
        CollectingSink sink = new CollectingSink();
        new InventoryReader().read(csv, sink);
        assertThat(sink.accepted).extracting(r -> r.domain().value()).containsExactly("contoso.com");
        assertThat(sink.rejected).extracting(InventoryProblem::toString).containsExactly(
                csv + ":2: domain: 'localhost' is a single label; a mail domain has at least two (contoso.com)",
                csv + ":3: domain: 'intranet.' is a single label; a mail domain has at least two (contoso.com)");
    }

    @Test
    void aHeaderThatCannotBeUnderstoodRejectsTheWholeFileBeforeAnyRow() throws IOException {
        CollectingSink missing = new CollectingSink();
        new InventoryReader().read(file("m.csv", "tenant,domain,zone\nacme,contoso.com,contoso.com\n"), missing);
        assertThat(missing.accepted).isEmpty();
        assertThat(missing.rejected).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.reason()).contains("no 'connector' column");
        });
        CollectingSink unknown = new CollectingSink();
        new InventoryReader().read(file("u.csv", "tenant,domian,connector,zone\n"), unknown);
        assertThat(unknown.rejected).singleElement().satisfies(p -> assertThat(p.reason()).contains("unknown column 'domian'"));
        CollectingSink alias = new CollectingSink();
        new InventoryReader().read(file("alias.csv", "Tenant,Domain,Connector,Zone,DnssecMxValue\nacme,contoso.com,pdns,contoso.com,contoso-com.o-v1.mx.microsoft\n"), alias);
        assertThat(alias.rejected).isEmpty();
        assertThat(alias.accepted).singleElement().satisfies(r -> assertThat(r.targetHost()).isNotNull());
    }

    @Test
    void jsonRowsAreCheckedFieldByField() throws IOException {
        Path json = file("tenants.json", """
                [
                  {"tenant": "acme", "domain": "contoso.com", "connector": "pdns", "zone": "contoso.com", "tags": ["vip", "eu"]},
                  {"tenant": "acme", "domain": 42, "connector": "pdns", "zone": "contoso.com"},
                  {"tenant": "acme", "domain": "fabrikam.com", "connector": "pdns", "zone": "fabrikam.com", "colour": "blue"},
                  "not an object"
                ]
                """);
        CollectingSink sink = new CollectingSink();
        new InventoryReader().read(json, sink);
        assertThat(sink.accepted).singleElement().satisfies(r -> assertThat(r.tags()).containsExactly("vip", "eu"));
        assertThat(sink.rejected).extracting(p -> p.line() + " " + p.field() + ": " + p.reason()).containsExactly(
                "3 domain: must be a string",
                "4 colour: is not a known field; known: tenant, domain, connector, zone, dnssec_mx_value, wave, tags, unsigned_zone",
                "5 row: must be a JSON object with the fields tenant, domain, connector, zone");
    }

    @Test
    void aFileThatBreaksOffKeepsTheRowsBeforeAndSaysWhere() throws IOException {
        Path csv = file("broken.csv", "tenant,domain,connector,zone\nacme,contoso.com,pdns,contoso.com\nacme,\"fabrikam.com,pdns,fabrikam.com\n");
        CollectingSink sink = new CollectingSink();
        InventoryReader.Summary summary = new InventoryReader().read(csv, sink);
        assertThat(sink.accepted).extracting(r -> r.domain().value()).containsExactly("contoso.com");
        assertThat(summary.fileRejected()).isTrue();
        assertThat(sink.rejected).last().satisfies(p -> assertThat(p.reason()).contains("the rows before were read"));
        CollectingSink none = new CollectingSink();
        assertThat(new InventoryReader().read(dir.resolve("absent.csv"), none).fileRejected()).isTrue();
        assertThat(new InventoryReader().read(file("x.xlsx", "?"), none).fileRejected()).isTrue();
        assertThat(none.rejected).extracting(InventoryProblem::reason)
                .containsExactly("does not exist or is not a file", "has no known format: name it .csv, .json or .jsonl");
    }

    @Test
    void aMillionNamesFitInTheDuplicateIndex() {
        DomainIndex index = new DomainIndex();
        for (int i = 1; i <= 1_000_000; i++) {
            assertThat(index.putIfAbsent("t" + i + ".example", i)).isZero();
        }
        assertThat(index.putIfAbsent("t77.example", 2_000_000)).isEqualTo(77);
        assertThat(index.putIfAbsent("t1000000.example", 5)).isEqualTo(1_000_000L);
    }
}
