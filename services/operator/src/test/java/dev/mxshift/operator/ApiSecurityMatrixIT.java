package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API's security, derived from its contract: for every operation the OpenAPI document declares, and every value of
 * its path parameters, a call with no token, malformed tokens, an unknown, an expired and a revoked token, another
 * tenant's token, the right tenant's and an all-tenants token, each with the status it must get; every operation that
 * takes a body refuses one over the limit; the document and the controllers declare the same operations. Then the
 * limits (rate, time) and HTTPS with a certificate the test makes.
 */
class ApiSecurityMatrixIT {

    private static final ApiTokens.NewToken OWN = ApiTokens.generate("t-a-portal", "t-a");
    private static final ApiTokens.NewToken FOREIGN = ApiTokens.generate("t-b-portal", "t-b");
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");
    private static final ApiTokens.NewToken EXPIRED = ApiTokens.generate("old-portal", "t-a", Instant.parse("2026-01-01T00:00:00Z"));
    private static final ApiTokens.NewToken REVOKED = ApiTokens.generate("left-the-company", "*");
    private static final ApiTokens.NewToken UNKNOWN = ApiTokens.generate("never-added", "*");
    private static final int MAX_BODY = 16 * 1024;

    private static ApiFixture fixture;
    private static OperatorApi api;
    private static String base;
    private static JsonNode contract;

    /** Who calls, with which Authorization header ("raw:" = the header as it is), and which status each kind must get. */
    private enum Caller {
        NONE(null), MALFORMED_SCHEME("raw:Basic " + OWN.token()), MALFORMED_EMPTY("raw:Bearer"), MALFORMED_EXTRA("raw:Bearer " + OWN.token() + " x"),
        UNKNOWN_TOKEN(UNKNOWN.token()), EXPIRED_TOKEN(EXPIRED.token()), REVOKED_TOKEN(REVOKED.token()),
        FOREIGN_TENANT(FOREIGN.token()), OWN_TENANT(OWN.token()), ALL_TENANTS(HOSTER.token());

        final String header;

        Caller(String header) {
            this.header = header;
        }

        boolean unauthenticated() {
            return ordinal() < FOREIGN_TENANT.ordinal();
        }
    }

    /** How the test calls one documented operation on tenant t-a's resources, and what a foreign tenant's token gets there. */
    private record Call(String path, String body, String type, int foreignStatus, int ownStatus) {
    }

    /** One call per documented operation and path-parameter value; a new operation without an entry here fails the matrix. */
    private static final Map<String, Function<String, Call>> CALLS = Map.ofEntries(
            Map.entry("GET /status", p -> new Call("/status?tenant=t-a", null, null, 403, 200)),
            Map.entry("GET /domains", p -> new Call("/domains?tenant=t-a", null, null, 403, 200)),
            Map.entry("GET /domains/{domain}", p -> new Call("/domains/" + ApiFixture.OWN.value(), null, null, 404, 200)),
            Map.entry("GET /domains/{domain}/fixes", p -> new Call("/domains/" + ApiFixture.OWN.value() + "/fixes", null, null, 404, 200)),
            Map.entry("POST /domains/{domain}/fixes", p -> new Call("/domains/" + ApiFixture.OWN.value() + "/fixes",
                    "{\"checksum\":\"" + "0".repeat(64) + "\"}", "application/json", 404, 200)),
            Map.entry("POST /actions/{action}", action -> new Call("/actions/" + action, "{\"domains\":[\"" + ApiFixture.OWN.value() + "\"],\"reason\":\"matrix\"}",
                    "application/json", 404, 200)),
            Map.entry("POST /imports", p -> new Call("/imports", "tenant,domain,dnssec_mx_value,error\nt-a,own-a.com,own-a-com.o-v1.mx.microsoft,\n",
                    "text/csv", 403, 200)),
            Map.entry("POST /dry-run", p -> new Call("/dry-run", "{\"domain\":\"own-a.com\",\"tenant\":\"t-a\",\"outcome\":\"failed\",\"reason\":\"lab\"}\n",
                    "application/x-ndjson", 403, 200)),
            Map.entry("GET /dead-letters", p -> new Call("/dead-letters?service=dns-push-service", null, null, 403, 403)),
            Map.entry("POST /dead-letters/replay", p -> new Call("/dead-letters/replay", "{\"service\":\"dns-push-service\",\"all\":true}",
                    "application/json", 403, 403)),
            Map.entry("GET /console/domains", p -> new Call("/console/domains?tenant=t-a", null, null, 403, 200)),
            Map.entry("GET /console/throughput", p -> new Call("/console/throughput?tenant=t-a", null, null, 403, 200)),
            // no tenant to name: every token gets its own view (whether Graph serves its tenant, its own resolved domains)
            Map.entry("GET /console/graph", p -> new Call("/console/graph", null, null, 200, 200)),
            Map.entry("GET /console/microsoft", p -> new Call("/console/microsoft?tenant=t-a", null, null, 403, 200)),
            Map.entry("GET /console/events", p -> new Call("/console/events?tenant=t-a", null, null, 403, 200)),
            Map.entry("GET /openapi.yaml", p -> new Call("/openapi.yaml", null, null, 200, 200)),
            Map.entry("POST /inventory-from", p -> new Call("/inventory-from", "zone,tenant\nown-a.com,t-a\n", "text/csv", 403, 403)));

    @BeforeAll
    static void serve() throws Exception {
        fixture = new ApiFixture(OWN.line(), FOREIGN.line(), HOSTER.line(), EXPIRED.line(), REVOKED.line());
        api = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(MAX_BODY, Duration.ofSeconds(60), 10_000)
                .withConfirmWait(Duration.ofMillis(500)));
        base = "http://127.0.0.1:" + api.port() + "/api/v1";
        assertThat(call("GET", "/status", REVOKED.token(), null, null).statusCode()).as("admitted before it is revoked").isEqualTo(200);
        Files.writeString(fixture.tokens, String.join("\n", OWN.line(), FOREIGN.line(), HOSTER.line(), EXPIRED.line()) + "\n");
        try (InputStream in = OperatorApi.class.getResourceAsStream("/openapi.yaml")) {
            contract = new YAMLMapper().readTree(in);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String token, String body, String type) throws Exception {
        if (path.startsWith("/console/events")) {
            return ApiFixture.firstEvent(base + path, token);
        }
        return ApiFixture.call(HttpClient.newHttpClient(), base + path, method, token, body, type);
    }

    /** Every documented operation as "METHOD /path", with its path parameters' enumerated values (or one call when none). */
    private static Map<String, List<String>> documented() {
        Map<String, List<String>> operations = new TreeMap<>();
        contract.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            List<String> values = new ArrayList<>();
            for (JsonNode parameter : op.getValue().path("parameters")) {
                if ("path".equals(parameter.path("in").asString()) && parameter.path("schema").has("enum")) {
                    parameter.path("schema").path("enum").forEach(v -> values.add(v.asString()));
                }
            }
            operations.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), values.isEmpty() ? List.of("") : values);
        }));
        return operations;
    }

    private static boolean open(String operation) {
        String[] parts = operation.split(" ");
        JsonNode security = contract.path("paths").path(parts[1]).path(parts[0].toLowerCase(java.util.Locale.ROOT)).path("security");
        return security.isArray() && security.isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedOperationAnswersEveryKindOfCallerAsItMust() {
        List<DynamicTest> tests = new ArrayList<>();
        documented().forEach((operation, values) -> {
            assertThat(CALLS).as("the matrix has no call for the documented operation %s: add one", operation).containsKey(operation);
            for (String value : values) {
                Call c = CALLS.get(operation).apply(value);
                for (Caller caller : Caller.values()) {
                    int expected = open(operation) ? 200 : caller.unauthenticated() ? 401 : switch (caller) {
                        case FOREIGN_TENANT -> c.foreignStatus();
                        case OWN_TENANT -> c.ownStatus();
                        default -> 200;
                    };
                    tests.add(DynamicTest.dynamicTest(operation + (value.isEmpty() ? "" : " [" + value + "]") + " as " + caller + " -> " + expected, () -> {
                        HttpResponse<String> answer = call(operation.split(" ")[0], c.path(), caller.header, c.body(), c.type());
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected);
                        if (expected == 401) {
                            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                        }
                        if (expected >= 400) {
                            JsonNode error = Json.MAPPER.readTree(answer.body());
                            assertThat(error.path("status").asInt()).isEqualTo(expected);
                            assertThat(error.path("code").asString()).matches("[A-Z_]+");
                            assertThat(error.path("error").asString()).isNotBlank().doesNotContain("Exception").doesNotContain(fixture.directory.toString());
                        }
                    }));
                }
            }
        });
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyOperationThatTakesABodyRefusesOneOverTheLimitAndWritesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        documented().forEach((operation, values) -> {
            String[] parts = operation.split(" ");
            if (!contract.path("paths").path(parts[1]).path(parts[0].toLowerCase(java.util.Locale.ROOT)).has("requestBody")) {
                return;
            }
            Call c = CALLS.get(operation).apply(values.get(0));
            tests.add(DynamicTest.dynamicTest(operation + " with " + (MAX_BODY + 1) + " bytes -> 413", () -> {
                String big = c.body() + " ".repeat(MAX_BODY + 1 - c.body().length());
                long before = fixture.log.history(ApiFixture.OWN).size();
                HttpResponse<String> answer = call(parts[0], c.path(), HOSTER.token(), big, c.type());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
                assertThat(Json.MAPPER.readTree(answer.body()).path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
                assertThat(fixture.log.history(ApiFixture.OWN)).hasSize((int) before);
            }));
        });
        return tests.stream();
    }

    @Test
    void aBodyStreamedWithoutItsLengthIsCutOffAtTheLimitToo() throws Exception {
        byte[] big = ("tenant,domain,connector,zone\n" + "t-a,streamed.com,powerdns-lab,streamed.com\n".repeat(MAX_BODY / 40)).getBytes();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/imports"))
                .header("Authorization", "Bearer " + HOSTER.token()).header("Content-Type", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(fixture.log.history(dev.mxshift.model.dns.DomainName.of("streamed.com"))).isEmpty();
    }

    @Test
    void theDocumentAndTheControllersDeclareTheSameOperations() {
        RequestMappingHandlerMapping mappings = api.context().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> served = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + pattern.replaceFirst("^/api/v1", "")));
            }
        }
        assertThat(served).isEqualTo(documented().keySet());
    }

    @Test
    void callsOverAToken_sRateAre429WithRetryAfterAndOtherTokensGoOn() throws Exception {
        try (OperatorApi limited = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(MAX_BODY, Duration.ofSeconds(60), 2))) {
            String url = "http://127.0.0.1:" + limited.port() + "/api/v1/domains";
            // seven calls at once: at two a second, at most six fit in any three one-second periods they could span
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                answers.add(ApiFixture.call(HttpClient.newHttpClient(), url, "GET", OWN.token(), null, null));
            }
            assertThat(answers.get(0).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow(
                    () -> new AssertionError("no call was refused: " + answers.stream().map(HttpResponse::statusCode).toList()));
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Json.MAPPER.readTree(refused.body()).path("code").asString()).isEqualTo("RATE_LIMITED");
            assertThat(ApiFixture.call(HttpClient.newHttpClient(), url, "GET", HOSTER.token(), null, null).statusCode())
                    .as("another token has its own limit").isEqualTo(200);
        }
    }

    @Test
    void aCallIsCountedOnceAgainstItsTokensRateAndTooManyAtOnceAre429BeforeAnythingIsDone() throws Exception {
        // at one call a second, an action must still be answered: the dispatch that delivers its result is the same call
        try (OperatorApi one = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(MAX_BODY, Duration.ofSeconds(60), 1)
                .withConfirmWait(Duration.ofMillis(200)))) {
            HttpResponse<String> answer = ApiFixture.call(HttpClient.newHttpClient(), "http://127.0.0.1:" + one.port() + "/api/v1/actions/resume",
                    "POST", OWN.token(), "{\"domains\":[\"own-a.com\"]}", "application/json");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        // each action waits 3 s for its event to be recorded (no projector runs here): five starts at once from one token
        try (OperatorApi slow = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(MAX_BODY, Duration.ofSeconds(60), 100)
                .withConfirmWait(Duration.ofSeconds(3)))) {
            HttpClient client = HttpClient.newHttpClient();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + slow.port() + "/api/v1/actions/start"))
                        .header("Authorization", "Bearer " + OWN.token()).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"domains\":[\"own-a.com\"]}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).toList();
            assertThat(statuses).as("four in flight per token, the fifth refused").containsOnly(200, 429).contains(429);
            assertThat(calls.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 429).findFirst().orElseThrow().body())
                    .contains("still under way");
        }
    }

    @Test
    void noFilterReadsAFormBodyBeforeAuthentication() {
        // Spring MVC's form filter reads a whole form-encoded PUT/PATCH/DELETE body, unbounded, before Spring Security
        assertThat(api.context().getBeansOfType(org.springframework.web.filter.FormContentFilter.class)).isEmpty();
    }

    @Test
    void aTenantSeesNoOtherTenantsNameInTheWaveGatesReasonNorTheHostersServersInEventTexts() {
        ApiTokens.Caller tenant = new ApiTokens.Caller("t-a-portal", "t-a");
        ApiTokens.Caller hoster = new ApiTokens.Caller("noc", null);
        dev.mxshift.model.workflow.GateHold hold = new dev.mxshift.model.workflow.GateHold(ApiFixture.OWN, 2,
                "canary wave 'canary' did not complete cleanly: victim-b.com is FAILED", Instant.parse("2026-12-06T01:00:00Z"));
        assertThat(ApiScope.forCaller(tenant, hold).reason()).doesNotContain("victim-b.com").doesNotContain("canary");
        assertThat(ApiScope.forCaller(tenant, hold).since()).isEqualTo(hold.since());
        assertThat(ApiScope.forCaller(hoster, hold)).isEqualTo(hold);
        String text = "kind=RETRYABLE, reason=lab-bind: java.net.SocketTimeoutException: Read timed out (answer from 10.0.0.6:53 and [2001:db8::1]:53)";
        assertThat(ApiScope.redactFor(tenant, text)).isEqualTo(
                "kind=RETRYABLE, reason=lab-bind: SocketTimeoutException: Read timed out (answer from (a server of the hoster) and (a server of the hoster))");
        assertThat(ApiScope.redactFor(hoster, text)).isEqualTo(text);
    }

    @Test
    void aCallOverTheTimeLimitIsAnswered503Timeout() throws Exception {
        // an action waits for its event to be recorded; no projector runs here, so it waits its whole confirmation time
        try (OperatorApi slow = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(MAX_BODY, Duration.ofSeconds(1), 100)
                .withConfirmWait(Duration.ofSeconds(8)))) {
            long started = System.nanoTime();
            HttpResponse<String> answer = ApiFixture.call(HttpClient.newHttpClient(), "http://127.0.0.1:" + slow.port() + "/api/v1/actions/pause",
                    "POST", HOSTER.token(), "{\"domains\":[\"second-a.com\"]}", "application/json");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(answer.body()).path("code").asString()).isEqualTo("TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(7));
        }
    }

    @Test
    void theApiServesHttpsWithTheCertificateItIsGivenAndRefusesPlainHttpOffLoopback() throws Exception {
        Path dir = fixture.directory;
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("api.key").toString(), "-out", dir.resolve("api.crt").toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String said = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(said).isZero();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("api.crt"))) {
            trust.setCertificateEntry("api", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        try (OperatorApi https = fixture.serve(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0))
                .withTls(dir.resolve("api.crt"), dir.resolve("api.key")))) {
            assertThat(https.https()).isTrue();
            HttpResponse<String> answer = ApiFixture.call(ApiFixture.client(tls), "https://127.0.0.1:" + https.port() + "/api/v1/domains",
                    "GET", OWN.token(), null, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("own-a.com").doesNotContain("victim-b.com");
            assertThatThrownBy(() -> ApiFixture.call(HttpClient.newHttpClient(), "https://127.0.0.1:" + https.port() + "/api/v1/domains",
                    "GET", OWN.token(), null, null)).as("a client that does not trust the certificate").isInstanceOf(java.io.IOException.class);
        }
        assertThatThrownBy(() -> ApiSettings.plain(new InetSocketAddress("10.0.0.1", 8090)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls-certificate");
    }
}
