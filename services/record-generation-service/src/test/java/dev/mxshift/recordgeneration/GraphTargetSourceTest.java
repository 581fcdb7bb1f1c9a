package dev.mxshift.recordgeneration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.recordgeneration.GraphTargetSource.Lookup;
import dev.mxshift.service.SecretReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Graph connector against a local server that answers with Microsoft Graph's documented shapes for
 * GET /domains/{id}/serviceConfigurationRecords: the record list, and the error object for 401, 404 and 429.
 */
class GraphTargetSourceTest {

    private static final String TOKEN = "eyJ0eXAi.lab-token.signature";

    private HttpServer graph;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private Path tokenFile;

    @BeforeEach
    void startGraph(@TempDir Path dir) throws IOException {
        tokenFile = dir.resolve("graph-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        graph = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        graph.createContext("/v1.0/domains/", this::answer);
        graph.start();
    }

    @AfterEach
    void stopGraph() {
        graph.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String domain = exchange.getRequestURI().getPath().split("/")[3];
        int call = calls.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, error("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."));
        } else if (domain.equals("unknown.example")) {
            send(exchange, 404, error("Request_ResourceNotFound", "Resource 'unknown.example' does not exist or one of its queried reference-property objects are not present."));
        } else if (domain.equals("busy.example") || domain.equals("slow.example") && call <= 2) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            send(exchange, 429, error("TooManyRequests", "Too many requests."));
        } else {
            String mx = domain.equals("legacy.example") ? "legacy-example.mail.protection.outlook.com"
                    : domain.replace('.', '-') + ".o-v1.mx.microsoft";
            send(exchange, 200, """
                    {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#domains('%1$s')/serviceConfigurationRecords",
                     "value":[
                      {"@odata.type":"#microsoft.graph.domainDnsCnameRecord","id":"%1$s-autodiscover","isOptional":false,
                       "label":"autodiscover.%1$s","recordType":"CName","supportedService":"Email","ttl":3600,"canonicalName":"autodiscover.outlook.com"},
                      {"@odata.type":"#microsoft.graph.domainDnsMxRecord","id":"%1$s-mx","isOptional":false,
                       "label":"%1$s","recordType":"Mx","supportedService":"Email","ttl":3600,"mailExchange":"%2$s","preference":0},
                      {"@odata.type":"#microsoft.graph.domainDnsTxtRecord","id":"%1$s-spf","isOptional":false,
                       "label":"%1$s","recordType":"Txt","supportedService":"Email","ttl":3600,"text":"v=spf1 include:spf.protection.outlook.com -all"}
                     ]}""".formatted(domain, mx));
        }
    }

    private static String error(String code, String message) {
        return """
                {"error":{"code":"%s","message":"%s","innerError":{"date":"2026-11-28T20:00:00","request-id":"5c8e7c1a-0000-4000-8000-000000000001","client-request-id":"5c8e7c1a-0000-4000-8000-000000000002"}}}"""
                .formatted(code, message);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private GraphTargetSource source(String tokenReference) {
        return new GraphTargetSource(URI.create("http://127.0.0.1:" + graph.getAddress().getPort() + "/v1.0"),
                new SecretReference(tokenReference), HttpClient.newHttpClient(), 3, Duration.ofSeconds(2));
    }

    @Test
    void theMailExchangeOfTheMxRecordIsTheTarget() {
        assertThat(source("file:" + tokenFile).lookup(DomainName.of("contoso.com")))
                .isEqualTo(new Lookup.Assigned(DomainName.of("contoso-com.o-v1.mx.microsoft")));
    }

    @Test
    void aLegacyMailExchangeMeansDnssecIsNotEnabledYet() {
        assertThat(source("file:" + tokenFile).lookup(DomainName.of("legacy.example")))
                .isEqualTo(new Lookup.NotYetAssigned("legacy-example.mail.protection.outlook.com"));
    }

    @Test
    void aRefusedTokenIsReportedByItsReferenceNeverItsValue(@TempDir Path dir) throws IOException {
        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "not-the-token");
        Lookup lookup = source("file:" + wrong).lookup(DomainName.of("contoso.com"));
        assertThat(lookup).isInstanceOfSatisfying(Lookup.Unauthorized.class, u -> assertThat(u.message())
                .contains("file:" + wrong, "401", "InvalidAuthenticationToken", "Domain.Read.All")
                .doesNotContain("not-the-token").doesNotContain(TOKEN));
    }

    @Test
    void aDomainGraphDoesNotKnowIsReportedAsSuch() {
        assertThat(source("file:" + tokenFile).lookup(DomainName.of("unknown.example")))
                .isInstanceOfSatisfying(Lookup.UnknownDomain.class, u -> assertThat(u.message()).contains("Request_ResourceNotFound"));
    }

    @Test
    void throttlingIsRetriedAsRetryAfterSaysAndReportedWhenItLasts() {
        GraphTargetSource source = source("file:" + tokenFile);
        long started = System.nanoTime();
        assertThat(source.lookup(DomainName.of("slow.example")))
                .isEqualTo(new Lookup.Assigned(DomainName.of("slow-example.o-v1.mx.microsoft")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(calls.get("slow.example").get()).isEqualTo(3);

        assertThat(source.lookup(DomainName.of("busy.example"))).isEqualTo(new Lookup.Throttled(Duration.ofSeconds(1)));
        assertThat(calls.get("busy.example").get()).as("bounded attempts").isEqualTo(3);
    }

    @Test
    void aSecretReferenceIsOnlyEverANameOrAPath() {
        assertThat(new SecretReference("env:MXSHIFT_GRAPH_TOKEN").resolve(Map.of("MXSHIFT_GRAPH_TOKEN", TOKEN)::get)).isEqualTo(TOKEN);
        assertThatThrownBy(() -> new SecretReference("env:MISSING").resolve(name -> null))
                .hasMessageContaining("env:MISSING").hasMessageContaining("not set");
        assertThatThrownBy(() -> new SecretReference(TOKEN))
                .hasMessageContaining("env:NAME or file:/path").hasMessageNotContaining("lab-token");
        assertThat(new SecretReference("file:" + tokenFile).toString()).doesNotContain(TOKEN);
    }
}
