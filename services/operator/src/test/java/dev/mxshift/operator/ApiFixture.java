package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hoster's event log on the real broker for API tests: domains of tenants {@code t-a} and {@code t-b} imported on hold
 * at the command line, their states on the state topic as the services' projector would write them (it does not run
 * here), and a token file. {@link #serve} starts the API over it.
 */
final class ApiFixture implements AutoCloseable {

    static final DomainName OWN = DomainName.of("own-a.com");
    static final DomainName SECOND_OWN = DomainName.of("second-a.com");
    static final DomainName FOREIGN = DomainName.of("victim-b.com");

    final TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
    final TopicSpec state = TestTopics.unique(TopicCatalogue.defaults().state());
    final Path directory;
    final Path tokens;
    final EventLog log;
    final List<String> audit = new CopyOnWriteArrayList<>();
    private final List<OperatorApi> served = new CopyOnWriteArrayList<>();

    ApiFixture(String... tokenLines) throws Exception {
        TestTopics.create(KafkaTestBroker.bootstrapServers(), events, state,
                new TopicSpec(events.name() + ".dlt.dns-push-service", events.key(), 1, Map.of(), "dead letters of the push service"));
        directory = Files.createTempDirectory("api-fixture");
        Path inventory = directory.resolve("hoster.csv");
        Files.writeString(inventory, """
                tenant,domain,connector,zone
                t-b,victim-b.com,powerdns-lab,victim-b.com
                t-a,own-a.com,powerdns-lab,own-a.com
                t-a,second-a.com,powerdns-lab,second-a.com
                """);
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
        ImportCommand.Result result = ImportCommand.importFiles(List.of(inventory), kafka, events.name(), "hoster-ops", true, System.err::println);
        assertThat(result.imported()).isEqualTo(3);
        log = new EventLog(kafka, events.name(), state.name());
        EventCodec codec = new EventCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
            for (DomainName d : List.of(FOREIGN, OWN, SECOND_OWN)) {
                EventEnvelope requested = log.history(d).get(0);
                producer.send(new ProducerRecord<>(state.name(), d.value().getBytes(StandardCharsets.UTF_8), codec.encodeState(requested.state())))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        tokens = directory.resolve("api-tokens");
        Files.writeString(tokens, String.join("\n", tokenLines) + "\n");
    }

    /** An API over this event log; {@link #close} stops it, if the test has not. */
    OperatorApi serve(ApiSettings settings) {
        OperatorApi api = new OperatorApi(settings, log, ApiTokens.read(tokens), audit::add, new SweepSources.Config(null, null, List.of(zoneFiles())));
        served.add(api);
        return api;
    }

    /**
     * The zone files {@code POST /inventory-from} lists (connector {@code zone-files}): own-a.com and second-a.com, t-a's,
     * and other-b.com, which no tenant's account names.
     */
    Path zoneFiles() {
        Path dir = directory.resolve("zones");
        try {
            Files.createDirectories(dir);
            for (String zone : List.of("own-a.com", "second-a.com", "other-b.com")) {
                Files.writeString(dir.resolve(zone + ".db"), "$ORIGIN " + zone + ".\n@ 3600 IN SOA ns1.lab-dns.net. hostmaster.lab-dns.net. 1 3600 600 86400 300\n");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    static HttpResponse<String> call(HttpClient client, String url, String method, String token, String body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token.startsWith("raw:") ? token.substring(4) : "Bearer " + token);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A call on a stream (the console's server-sent events): its status, and for a 200 the stream's first event only (the
     * stream itself goes on until the server ends it); any other answer whole.
     */
    static HttpResponse<String> firstEvent(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", token.startsWith("raw:") ? token.substring(4) : "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String body;
        try (java.io.InputStream in = answer.body()) {
            if (answer.statusCode() != 200) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } else {
                java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                StringBuilder event = new StringBuilder();
                for (String line = reader.readLine(); line != null && !(line.isEmpty() && event.length() > 0); line = reader.readLine()) {
                    event.append(line).append('\n');
                }
                body = event.toString();
            }
        }
        String text = body;
        return new HttpResponse<>() {
            public int statusCode() { return answer.statusCode(); }
            public HttpRequest request() { return answer.request(); }
            public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
            public java.net.http.HttpHeaders headers() { return answer.headers(); }
            public String body() { return text; }
            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return answer.sslSession(); }
            public URI uri() { return answer.uri(); }
            public HttpClient.Version version() { return answer.version(); }
        };
    }

    static HttpClient client(SSLContext tls) {
        return tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
    }

    @Override
    public void close() {
        served.forEach(OperatorApi::close);
        log.close();
    }
}
