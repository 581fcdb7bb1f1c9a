package dev.mxshift.operator;

import dev.mxshift.connector.RrSet;
import dev.mxshift.dnspush.connectors.CloudflareApiServer;
import dev.mxshift.dnspush.connectors.CloudflareConnector;
import dev.mxshift.dnspush.connectors.ReferenceWebhookServer;
import dev.mxshift.dnspush.connectors.Route53ApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep through a connectors file (SweepSources) over the providers reached by HTTP: Cloudflare's record listing and
 * Route 53's record-set listing, each against the local server that answers as its documented API does (the one
 * accepted stand-in), and a webhook's records call (the reference webhook server, in front of a Cloudflare zone). Each
 * zone's planted references are found and its quiet records stay quiet; a webhook that declares no records call is
 * named as not swept. The legacy hosts are not resolvable here (the resolver is a closed port), so the findings are the
 * ones that name a legacy host, which need no address.
 */
class SweepOverProviderApisTest {

    private static final String CF_TOKEN = "cf-sweep-token";
    private static final String KEY_ID = "AKIAMXSHIFTSWEEP";
    private static final String SECRET = "route53/sweep/secret/0123456789abcdef";

    @Test
    void cloudflareRoute53AndAWebhookAreSweptThroughAConnectorsFile(@TempDir Path dir) throws Exception {
        try (CloudflareApiServer cloudflare = new CloudflareApiServer(CF_TOKEN, "contoso.com", "tailspin.com");
             Route53ApiServer route53 = new Route53ApiServer(KEY_ID, SECRET, "fabrikam.com")) {
            cloudflare.edit("contoso.com", new RrSet("relay.contoso.com", "CNAME", 3600, List.of("contoso-com.mail.protection.outlook.com.")));
            cloudflare.edit("contoso.com", new RrSet("_submission._tcp.contoso.com", "SRV", 3600,
                    List.of("10 5 587 contoso-com.mail.protection.outlook.com.")));
            quiet(cloudflare, "contoso.com");
            route53.edit("fabrikam.com", new RrSet("smtp.fabrikam.com", "CNAME", 300, List.of("fabrikam-com.mail.protection.outlook.com.")));
            route53.edit("fabrikam.com", new RrSet("eu.fabrikam.com", "MX", 300, List.of("0 eu-fabrikam-com.mail.protection.outlook.com.")));
            route53.edit("fabrikam.com", new RrSet("fabrikam.com", "TXT", 300, List.of("\"v=spf1 a:fabrikam-com.mail.protection.outlook.com -all\"")));
            route53.edit("fabrikam.com", new RrSet("autodiscover.fabrikam.com", "CNAME", 300, List.of("autodiscover.outlook.com.")));
            cloudflare.edit("tailspin.com", new RrSet("mail.tailspin.com", "CNAME", 3600, List.of("tailspin-com.mail.protection.outlook.com.")));
            quiet(cloudflare, "tailspin.com");
            CloudflareConnector platform = new CloudflareConnector("hoster-platform", cloudflare.url(), CF_TOKEN, Duration.ofSeconds(5));
            try (ReferenceWebhookServer webhook = new ReferenceWebhookServer(platform, "webhook-sweep-token", Set.of("tailspin.com"));
                 ReferenceWebhookServer older = new ReferenceWebhookServer(platform, "webhook-sweep-token", Set.of("tailspin.com"))) {
                older.declareRecords(null);
                Path connectors = connectorsFile(dir, cloudflare, route53, webhook, older);

                String[] run = sweep("--connectors", connectors.toString(), "--resolver", "127.0.0.1:9", "--format", "json");

                assertThat(run[0]).as(run[1] + run[2]).isEqualTo("1");
                JsonNode doc = JsonMapper.builder().build().readTree(run[1]);
                assertThat(doc.path("notRead")).as("zones not read").isEmpty();
                assertThat(doc.path("notSwept")).as("%s", doc.path("notSwept")).hasSize(1);
                assertThat(doc.path("notSwept").get(0).asString())
                        .startsWith("older-webhook cannot read whole zones: its capabilities declare no records call");
                List<String> found = new ArrayList<>();
                doc.path("zones").forEach(z -> z.path("findings").forEach(f -> found.add(z.path("connector").asString() + " "
                        + f.path("owner").asString() + " " + f.path("type").asString() + " " + f.path("kind").asString())));
                assertThat(found).containsExactlyInAnyOrder(
                        "cloudflare relay.contoso.com CNAME ALIAS",
                        "cloudflare _submission._tcp.contoso.com SRV SRV",
                        "route53 smtp.fabrikam.com CNAME ALIAS",
                        "route53 eu.fabrikam.com MX OTHER_MX",
                        "route53 fabrikam.com TXT SPF_HOST_PIN",
                        "webhook mail.tailspin.com CNAME ALIAS");
            }
        }
    }

    /** What stays valid after the move: outbound SPF, autodiscover, Microsoft's verification TXT, a DKIM selector alias. */
    private static void quiet(CloudflareApiServer cloudflare, String zone) throws Exception {
        String label = zone.replace('.', '-');
        cloudflare.edit(zone, new RrSet(zone, "TXT", 3600, List.of("\"v=spf1 include:spf.protection.outlook.com -all\"", "\"MS=ms12345678\"")));
        cloudflare.edit(zone, new RrSet("autodiscover." + zone, "CNAME", 3600, List.of("autodiscover.outlook.com.")));
        cloudflare.edit(zone, new RrSet("selector1._domainkey." + zone, "CNAME", 3600,
                List.of("selector1-" + label + "._domainkey.contoso.onmicrosoft.com.")));
    }

    private static Path connectorsFile(Path dir, CloudflareApiServer cloudflare, Route53ApiServer route53, ReferenceWebhookServer webhook,
                                       ReferenceWebhookServer older) throws Exception {
        Files.writeString(dir.resolve("cf-token"), CF_TOKEN);
        Files.writeString(dir.resolve("aws-key-id"), KEY_ID);
        Files.writeString(dir.resolve("aws-secret"), SECRET);
        Files.writeString(dir.resolve("webhook-token"), "webhook-sweep-token");
        Path file = dir.resolve("connectors.json");
        Files.writeString(file, """
                {"connectors": [
                  {"id": "cloudflare", "type": "cloudflare", "settings": {"url": "%s", "token": "file:%s"}, "zones": ["contoso.com"]},
                  {"id": "route53", "type": "route53", "settings": {"url": "%s", "access-key-id": "file:%s", "secret-access-key": "file:%s"}},
                  {"id": "webhook", "type": "webhook", "settings": {"url": "%s", "token": "file:%s"}},
                  {"id": "older-webhook", "type": "webhook", "settings": {"url": "%s", "token": "file:%s"}}
                ]}
                """.formatted(cloudflare.url(), dir.resolve("cf-token"), route53.url(), dir.resolve("aws-key-id"), dir.resolve("aws-secret"),
                webhook.url(), dir.resolve("webhook-token"), older.url(), dir.resolve("webhook-token")));
        return file;
    }

    private static String[] sweep(String... args) {
        return SweepCommandTest.sweep(args);
    }
}
