package dev.mxshift.discovery.inventory;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import reads back what the Enable-DnssecForVerifiedDomain script exported (as PowerShell writes it: a
 * byte-order mark, every field quoted): each value becomes the domain's next event, after the history already in
 * the log; rows with an error, for a domain not imported, or for another tenant are listed and write nothing.
 */
class TargetImportIT {

    private static final EventCodec CODEC = new EventCodec();

    @TempDir
    Path dir;

    @Test
    void microsoftsTargetsFromTheExportBecomeEachDomainsNextEvent() throws Exception {
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestTopics.create(bootstrap, events);
        Path inventory = dir.resolve("tenants.csv");
        Files.writeString(inventory, """
                tenant,domain,connector,zone
                tenant-contoso,contoso.com,lab-powerdns,contoso.com
                tenant-contoso,fabrikam.com,lab-powerdns,fabrikam.com
                """);
        // As an operator's script runs it: the command with --json.
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new picocli.CommandLine(new ImportCommand()).execute(inventory.toString(), "--bootstrap", bootstrap,
                    "--topic", events.name(), "--json");
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        // The test's own logging shares standard output here (the CLI's goes to standard error): the last JSON line.
        String json = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        tools.jackson.databind.JsonNode imported = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
        assertThat(imported.path("imported").asLong()).isEqualTo(2);
        assertThat(imported.path("rejected").asLong()).isZero();
        assertThat(imported.path("onHold").asBoolean()).isFalse();
        assertThat(imported.path("problems").isEmpty()).isTrue();

        Path export = dir.resolve("dnssec-enablement-tenant-contoso.csv");
        Files.writeString(export, "\uFEFF\"tenant\",\"domain\",\"dnssec_mx_value\",\"error\"\r\n"
                + "\"tenant-contoso\",\"contoso.com\",\"contoso-com.o-v1.mx.microsoft\",\"\"\r\n"
                + "\"tenant-contoso\",\"fabrikam.com\",\"\",\"The domain is not verified.\"\r\n"
                + "\"tenant-contoso\",\"unknown.example\",\"unknown-example.o-v1.mx.microsoft\",\"\"\r\n"
                + "\"tenant-other\",\"fabrikam.com\",\"fabrikam-com.e-v1.mx.microsoft\",\"\"\r\n"
                + "\"tenant-contoso\",\"contoso.com\",\"contoso-com.mail.protection.outlook.com\",\"\"\r\n", StandardCharsets.UTF_8);
        PrintStream err = System.err;
        ByteArrayOutputStream problems = new ByteArrayOutputStream();
        System.setErr(new PrintStream(problems, true, StandardCharsets.UTF_8));
        ImportCommand.Result result;
        try {
            result = ImportCommand.importFiles(List.of(export), bootstrap, events.name(), "test");
        } finally {
            System.setErr(err);
        }
        String listed = problems.toString(StandardCharsets.UTF_8);
        assertThat(result.imported()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(4);
        assertThat(listed).contains(export + ":3: error: Enable-DnssecForVerifiedDomain failed for fabrikam.com: The domain is not verified.")
                .contains(export + ":4: domain: unknown.example is not in the event log yet")
                .contains(export + ":5: tenant: fabrikam.com belongs to tenant-contoso")
                .contains(export + ":6: dnssec_mx_value:");

        List<EventEnvelope> contoso = read(bootstrap, events.name()).stream().filter(e -> e.domain().value().equals("contoso.com")).toList();
        assertThat(contoso).hasSize(2);
        assertThat(contoso.get(0).payload()).isInstanceOf(MigrationRequested.class);
        assertThat(contoso.get(1).sequence()).isEqualTo(2);
        assertThat(contoso.get(1).causationId()).isEqualTo(contoso.get(0).eventId());
        assertThat(contoso.get(1).payload()).isInstanceOfSatisfying(TargetAssigned.class,
                t -> assertThat(t.targetHost().value()).isEqualTo("contoso-com.o-v1.mx.microsoft"));
        assertThat(contoso.get(1).state().targetHost().value()).isEqualTo("contoso-com.o-v1.mx.microsoft");
    }

    private static List<EventEnvelope> read(String bootstrap, String topic) {
        List<EventEnvelope> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(KafkaClientSettings.plaintext(bootstrap)).consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "target-import-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(CODEC.decode(record.value()));
                }
            }
        }
        events.sort(java.util.Comparator.comparing((EventEnvelope e) -> e.domain().value()).thenComparingLong(EventEnvelope::sequence));
        return events;
    }
}
