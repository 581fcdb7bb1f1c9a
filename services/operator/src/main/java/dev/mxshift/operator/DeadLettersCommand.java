package dev.mxshift.operator;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.workflow.ServiceRole;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The records a service could not process: list them with their reasons, and replay them into the event log. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "List a service's dead letters with their reasons, or replay them into the event log.",
        footer = {"", "Replay after the cause is fixed (a newer build that reads the record); the services treat a replayed",
                "event like any other, so one that is stale by then is counted and ignored.", "",
                "Examples:", "  dead-letters list --service validation-service",
                "  dead-letters replay --service validation-service --offset 0:17 --offset 3:2", "  dead-letters replay --service dns-push-service --all"})
final class DeadLettersCommand extends EventLogCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ACTION", description = "list or replay")
    String action;

    @Option(names = "--service", paramLabel = "NAME", required = true,
            description = "discovery-service, validation-service, record-generation-service or dns-push-service")
    String service;

    @Option(names = "--topic", paramLabel = "NAME", description = "the dead-letter topic (default: the catalogue's, for --service)")
    String topic;

    @Option(names = "--offset", paramLabel = "PARTITION:OFFSET", description = "replay this dead letter (repeatable)")
    List<String> offsets = new ArrayList<>();

    @Option(names = "--all", description = "replay every dead letter of the service")
    boolean all;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    record DeadLetter(int partition, long offset, String key, String reason, String originalTopic, String originalPosition) {
    }

    @Override
    public Integer call() {
        String deadLetterTopic = topic != null ? topic : TopicCatalogue.defaults().deadLetters(role()).name();
        EventLog log = kafka.eventLog();
        List<ConsumerRecord<byte[], byte[]>> records = log.records(deadLetterTopic);
        PrintWriter out = out();
        switch (action) {
            case "list" -> {
                List<DeadLetter> letters = records.stream().map(DeadLettersCommand::letter).toList();
                if (json) {
                    out.println(Json.write(letters));
                } else {
                    out.printf("%,d dead letter(s) in %s%n", letters.size(), deadLetterTopic);
                    letters.forEach(l -> out.printf("%d:%d  %s  from %s %s: %s%n", l.partition(), l.offset(), l.key(),
                            l.originalTopic(), l.originalPosition(), l.reason()));
                }
                return 0;
            }
            case "replay" -> {
                if (!all && offsets.isEmpty()) {
                    throw new IllegalArgumentException("say which dead letters to replay: --offset PARTITION:OFFSET (from 'list') or --all");
                }
                List<ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
                for (String o : offsets) {
                    String[] parts = o.split(":");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("--offset " + o + ": expected PARTITION:OFFSET, e.g. 0:17");
                    }
                    int partition;
                    long offset;
                    try {
                        partition = Integer.parseInt(parts[0]);
                        offset = Long.parseLong(parts[1]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--offset " + o + ": expected PARTITION:OFFSET, e.g. 0:17");
                    }
                    ConsumerRecord<byte[], byte[]> r = records.stream().filter(x -> x.partition() == partition && x.offset() == offset)
                            .findFirst().orElseThrow(() -> new IllegalArgumentException("--offset " + o + ": no such dead letter in " + deadLetterTopic));
                    chosen.add(r);
                }
                if (all) {
                    chosen = records;
                }
                log.republish(chosen);
                out.printf("replayed %,d dead letter(s) from %s into %s%n", chosen.size(), deadLetterTopic, log.eventsTopic());
                return 0;
            }
            default -> throw new IllegalArgumentException("ACTION must be list or replay, not '" + action + "'");
        }
    }

    private ServiceRole role() {
        for (ServiceRole r : TopicCatalogue.consumingServices()) {
            if (r.serviceName().equals(service)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--service " + service + ": one of discovery-service, validation-service, "
                + "record-generation-service, dns-push-service");
    }

    static DeadLetter letter(ConsumerRecord<byte[], byte[]> r) {
        return new DeadLetter(r.partition(), r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                header(r, "x-exception-message"), header(r, "x-original-topic"),
                header(r, "x-original-partition") + ":" + header(r, "x-original-offset"));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
