package dev.mxshift.service.bench;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.service.KafkaStreamsStateProjector;
import dev.mxshift.service.StateProjection;
import dev.mxshift.service.StateProjector;
import dev.mxshift.service.StateTables;
import dev.mxshift.service.TopicProvisioner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The Java side of {@code bench/state-table}: fills an event log, runs one state projection as a process of its own
 * (for the script to measure and kill), waits for a projection's group to reach a share of the log, and checks state
 * topics against the workflow's replay of the log.
 *
 * <pre>
 * fill    BOOTSTRAP EVENTS PARTITIONS DOMAINS SEED STATE_TOPIC...
 * project hand-built|kafka-streams BOOTSTRAP EVENTS STATE_TOPIC GROUP STATE_DIR SESSION_MS
 * wait    BOOTSTRAP EVENTS GROUP FRACTION TIMEOUT_S     prints "reached_at_ms=... committed=... end=..."
 * check   BOOTSTRAP EVENTS STATE_TOPIC...               prints "STATE_TOPIC domains=... mismatches=..."
 * </pre>
 */
public final class StateTableBench {

    /** Domains generated and interleaved together: their events alternate in the log as a dry run's do. */
    private static final int BLOCK = 1000;

    public static void main(String[] args) throws Exception {
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(args[1]);
        String events = args[2];
        switch (args[0]) {
            case "fill" -> fill(kafka, events, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Arrays.asList(args).subList(6, args.length));
            case "project" -> project(args);
            case "wait" -> waitFor(kafka, events, args[3], Double.parseDouble(args[4]), Long.parseLong(args[5]));
            case "check" -> check(kafka, events, Arrays.asList(args).subList(3, args.length));
            default -> throw new IllegalArgumentException("fill, project, wait or check; got " + args[0]);
        }
    }

    /**
     * DOMAINS domains' histories as the cooperative world makes them (every service succeeds): about seven in ten
     * complete their migration, the others stop after a random number of events, as a log mid-way through a run
     * looks. One domain in a thousand (the 8th, the 1008th, ...) gets an earlier event of its history again (stale),
     * one in ten thousand (the 4th, the 10004th, ...) a record that is no event (poison), at random places. Domains are generated {@value #BLOCK} at a time and their events interleaved step by step.
     */
    private static void fill(KafkaClientSettings kafka, String events, int partitions, int domains, long seed, List<String> stateTopics) {
        TopicCatalogue catalogue = new TopicCatalogue(partitions);
        List<dev.mxshift.model.topic.TopicSpec> specs = new ArrayList<>(List.of(catalogue.events().named(events)));
        stateTopics.forEach(t -> specs.add(catalogue.state().named(t)));
        TopicProvisioner.ensure(kafka, catalogue.replication(), specs);
        EventCodec codec = new EventCodec();
        Random random = new Random(seed);
        long records = 0;
        long stale = 0;
        long poison = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024))) {
            for (int from = 0; from < domains; from += BLOCK) {
                List<List<byte[]>> block = new ArrayList<>();
                List<byte[]> keys = new ArrayList<>();
                for (int i = from; i < Math.min(domains, from + BLOCK); i++) {
                    String name = "d" + i + ".bench.example";
                    List<EventEnvelope> history = CooperativeWorld.migrated(DomainName.of(name)).events();
                    int length = random.nextInt(10) < 7 ? history.size() : 1 + random.nextInt(history.size());
                    List<byte[]> values = new ArrayList<>(history.subList(0, length).stream().map(codec::encode).toList());
                    if (i % 1000 == 7) {
                        values.add(values.get(random.nextInt(values.size())));
                        stale++;
                    }
                    if (i % 10_000 == 3) {
                        values.add(random.nextInt(values.size() + 1), "{\"poison\":".getBytes(StandardCharsets.UTF_8));
                        poison++;
                    }
                    block.add(values);
                    keys.add(name.getBytes(StandardCharsets.UTF_8));
                }
                for (int step = 0; ; step++) {
                    boolean any = false;
                    for (int d = 0; d < block.size(); d++) {
                        if (step < block.get(d).size()) {
                            producer.send(new ProducerRecord<>(events, keys.get(d), block.get(d).get(step)));
                            records++;
                            any = true;
                        }
                    }
                    if (!any) {
                        break;
                    }
                }
            }
            producer.flush();
        }
        System.out.printf("filled %s: domains=%d records=%d stale=%d poison=%d seed=%d%n", events, domains, records, stale, poison, seed);
    }

    /** Runs one projection until the process is killed. */
    private static void project(String[] args) throws InterruptedException {
        String kind = args[1];
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(args[2]);
        String events = args[3];
        String state = args[4];
        String group = args[5];
        Path dir = Path.of(args[6]);
        Map<String, String> membership = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, args[7],
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(1000, Long.parseLong(args[7]) / 3)));
        StateProjection projection = switch (kind) {
            case "hand-built" -> new StateProjector(kafka, events, state, group, "bench", new EventCodec(), new SimpleMeterRegistry(), membership).start();
            case "kafka-streams" -> new KafkaStreamsStateProjector(kafka, events, state, group, dir, dev.mxshift.model.topic.TopicReplication.SINGLE_BROKER, new EventCodec(),
                    new SimpleMeterRegistry(), membership).start();
            default -> throw new IllegalArgumentException("hand-built or kafka-streams; got " + kind);
        };
        System.out.println("projecting " + events + " into " + state + " with " + kind + " (group " + projection.group() + ")");
        new CountDownLatch(1).await();
    }

    /** Waits until the group has committed {@code fraction} of the log (polled every 100 ms, so a figure is as precise). */
    private static void waitFor(KafkaClientSettings kafka, String events, String group, double fraction, long timeoutSeconds) {
        try (org.apache.kafka.clients.admin.Admin admin = new KafkaClients(kafka).admin()) {
            StateTables.Progress reached = org.awaitility.Awaitility.await(group + " at " + fraction + " of " + events)
                    .atMost(java.time.Duration.ofSeconds(timeoutSeconds)).pollDelay(java.time.Duration.ZERO)
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .ignoreException(java.util.concurrent.ExecutionException.class) // the group has not committed yet
                    .until(() -> StateTables.progress(admin, group, events), progress -> progress.committed() >= fraction * progress.end());
            System.out.printf("reached_at_ms=%d committed=%d end=%d%n", System.currentTimeMillis(), reached.committed(), reached.end());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException(group + " did not reach " + fraction + " of " + events + " in " + timeoutSeconds + " s", e);
        }
    }

    private static void check(KafkaClientSettings kafka, String events, List<String> stateTopics) {
        Map<DomainName, MigrationState> fold = StateTables.fold(kafka, events);
        for (String topic : stateTopics) {
            Map<DomainName, MigrationState> table = StateTables.table(kafka, topic);
            System.out.printf("%s domains=%d fold=%d mismatches=%d%n", topic, table.size(), fold.size(), StateTables.mismatches(fold, table));
        }
    }
}
