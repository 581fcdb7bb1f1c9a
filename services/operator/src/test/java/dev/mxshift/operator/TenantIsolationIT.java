package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27's hole, replayed on a real broker: a tenant's token sent the enablement script's export CSV naming another
 * tenant's domain and chose that domain's new MX host. Now every import path checks every row against the caller's
 * scope and refuses a request that reaches outside it whole, with nothing written; a foreign domain answers as a
 * missing one; every event a person or token causes names them; every call leaves one audit line.
 */
class TenantIsolationIT {

    private static final DomainName VICTIM = ApiFixture.FOREIGN;
    private static final DomainName OWN = ApiFixture.OWN;
    /** Only ever named beside a foreign row: nothing may be written for it. */
    private static final DomainName OWN_UNTOUCHED = ApiFixture.SECOND_OWN;

    private static final ApiTokens.NewToken TENANT_A = ApiTokens.generate("t-a-portal", "t-a");
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");
    private static final ApiTokens.NewToken EXPIRED = ApiTokens.generate("old-portal", "t-a", Instant.parse("2026-01-01T00:00:00Z"));

    private static ApiFixture fixture;
    private static EventLog log;
    private static List<String> AUDIT;
    private static Path tokens;
    private static OperatorApi api;
    private static String base;

    @BeforeAll
    static void hosterImportsTwoTenantsOnHold() throws Exception {
        fixture = new ApiFixture(TENANT_A.line(), HOSTER.line(), EXPIRED.line());
        log = fixture.log;
        AUDIT = fixture.audit;
        tokens = fixture.tokens;
        api = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(64 * 1024, Duration.ofSeconds(60), 1000));
        base = "http://127.0.0.1:" + api.port() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String token, String body, String type) throws Exception {
        return ApiFixture.call(HttpClient.newHttpClient(), base + path, method, token, body, type);
    }

    @Test
    void aTenantsTokenCannotSetAnotherTenantsTargetWithTheExportCsv() throws Exception {
        // the exact request of the report
        HttpResponse<String> exploit = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-b,victim-b.com,attacker-controlled.o-v1.mx.microsoft,
                """, "text/csv");
        assertThat(exploit.statusCode()).as(exploit.body()).isEqualTo(403);
        assertThat(exploit.body()).contains("nothing was imported").contains("body:2: tenant");
        // the same row claiming to be the attacker's own tenant: refused, and worded as for a domain never imported
        HttpResponse<String> lying = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-a,victim-b.com,attacker-controlled.o-v1.mx.microsoft,
                """, "text/csv");
        HttpResponse<String> missing = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-a,never-imported.com,attacker-controlled.o-v1.mx.microsoft,
                """, "text/csv");
        assertThat(lying.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(lying.body().replace("victim-b.com", "X")).isEqualTo(missing.body().replace("never-imported.com", "X"));
        // a good row beside a foreign one does not get through either: the request is refused whole
        HttpResponse<String> mixed = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-a,second-a.com,second-a-com.o-v1.mx.microsoft,
                t-b,victim-b.com,attacker-controlled.o-v1.mx.microsoft,
                """, "text/csv");
        assertThat(mixed.statusCode()).isEqualTo(403);

        // a row the reader cannot take may name anyone: beside a good row it refuses the request too
        HttpResponse<String> withError = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-a,second-a.com,second-a-com.o-v1.mx.microsoft,
                t-b,victim-b.com,,Enable-DnssecForVerifiedDomain failed
                """, "text/csv");
        assertThat(withError.statusCode()).as(withError.body()).isEqualTo(403);

        assertThat(log.history(VICTIM)).as("nothing written for the victim").hasSize(1);
        assertThat(log.history(OWN_UNTOUCHED)).as("nothing of the refused mixed request written").hasSize(1);
    }

    @Test
    void aTenantsTokenCannotIntroduceADomainZoneOrConnector() throws Exception {
        for (String row : List.of("t-a,new-a.com,powerdns-lab,new-a.com", "t-a,own-a.com,another-connector,own-a.com",
                "t-a,sub.own-a.com,powerdns-lab,own-a.com")) {
            HttpResponse<String> claim = call("POST", "/imports", TENANT_A.token(), "tenant,domain,connector,zone\n" + row + "\n", "text/csv");
            assertThat(claim.statusCode()).as(row + ": " + claim.body()).isEqualTo(403);
            assertThat(claim.body()).contains("only the hoster");
        }
        HttpResponse<String> json = call("POST", "/imports", TENANT_A.token(),
                "{\"tenant\":\"t-a\",\"domain\":\"new-a.com\",\"connector\":\"powerdns-lab\",\"zone\":\"new-a.com\"}\n", "application/x-ndjson");
        assertThat(json.statusCode()).isEqualTo(403);
        assertThat(log.history(DomainName.of("new-a.com"))).isEmpty();
        assertThat(log.history(DomainName.of("sub.own-a.com"))).isEmpty();
    }

    @Test
    void aTenantSetsItsOwnTargetAndTheEventNamesTheToken() throws Exception {
        HttpResponse<String> own = call("POST", "/imports", TENANT_A.token(), """
                tenant,domain,dnssec_mx_value,error
                t-a,own-a.com,own-a-com.o-v1.mx.microsoft,
                """, "text/csv");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        List<EventEnvelope> history = log.history(OWN);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).actor()).as("the hoster's import at the command line")
                .isEqualTo(Actor.cli(System.getProperty("user.name")));
        assertThat(history.get(1).payload()).isInstanceOf(TargetAssigned.class);
        assertThat(history.get(1).actor()).isEqualTo(Actor.api("t-a-portal"));
        assertThat(AUDIT).anySatisfy(line -> {
            JsonNode audit = Json.MAPPER.readTree(line);
            assertThat(audit.path("actor").asString()).isEqualTo("t-a-portal");
            assertThat(audit.path("operation").asString()).isEqualTo("POST /api/v1/imports");
            assertThat(audit.path("status").asInt()).isEqualTo(200);
            assertThat(audit.path("domainCount").asInt()).isEqualTo(1);
        });
        assertThat(AUDIT).as("no token in the audit log").noneMatch(l -> l.contains(TENANT_A.token()) || l.contains(HOSTER.token()));
    }

    @Test
    void aForeignDomainAnswersAsAMissingOneOnEveryDomainOperation() throws Exception {
        HttpResponse<String> foreign = call("GET", "/domains/victim-b.com", TENANT_A.token(), null, null);
        HttpResponse<String> missing = call("GET", "/domains/never-imported.com", TENANT_A.token(), null, null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body().replace("victim-b.com", "X")).isEqualTo(missing.body().replace("never-imported.com", "X"));
        HttpResponse<String> pause = call("POST", "/actions/pause", TENANT_A.token(), "{\"domains\":[\"victim-b.com\"]}", "application/json");
        HttpResponse<String> pauseMissing = call("POST", "/actions/pause", TENANT_A.token(), "{\"domains\":[\"never-imported.com\"]}", "application/json");
        assertThat(pause.statusCode()).isEqualTo(404);
        assertThat(pause.body().replace("victim-b.com", "X")).isEqualTo(pauseMissing.body().replace("never-imported.com", "X"));
        assertThat(log.history(VICTIM)).hasSize(1);
        assertThat(call("GET", "/domains/victim-b.com", HOSTER.token(), null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedBodyIs413AndNothingIsWritten() throws Exception {
        StringBuilder big = new StringBuilder("tenant,domain,connector,zone\n");
        for (int i = 0; big.length() <= 64 * 1024; i++) {
            big.append("t-b,big-").append(i).append(".com,powerdns-lab,big-").append(i).append(".com\n");
        }
        HttpResponse<String> tooBig = call("POST", "/imports", HOSTER.token(), big.toString(), "text/csv");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("larger than this API takes");
        assertThat(log.history(DomainName.of("big-0.com"))).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefusedAndARevokedOneTooWithoutARestart() throws Exception {
        assertThat(call("GET", "/status", EXPIRED.token(), null, null).statusCode()).isEqualTo(401);
        ApiTokens.NewToken late = ApiTokens.generate("late-portal", "t-a");
        assertThat(call("GET", "/domains", late.token(), null, null).statusCode()).isEqualTo(401);
        String before = Files.readString(tokens);
        try {
            Files.writeString(tokens, before + late.line() + "\n");
            HttpResponse<String> admitted = call("GET", "/domains", late.token(), null, null);
            assertThat(admitted.statusCode()).as("a token added to the file is admitted without a restart").isEqualTo(200);
            assertThat(admitted.body()).contains("own-a.com").doesNotContain("victim-b.com");
            Files.writeString(tokens, before + "# late-portal revoked\n");
            assertThat(call("GET", "/domains", late.token(), null, null).statusCode()).as("revoked by deleting its line").isEqualTo(401);
            Files.writeString(tokens, before + "a line that is not a token\n");
            assertThat(call("GET", "/status", HOSTER.token(), null, null).statusCode()).as("a broken file admits nobody").isEqualTo(401);
        } finally {
            Files.writeString(tokens, before);
        }
        assertThat(call("GET", "/status", HOSTER.token(), null, null).statusCode()).isEqualTo(200);
    }
}
