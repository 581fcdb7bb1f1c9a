package dev.mxshift.operator.bench;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.TopicToEnd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For bench/workflow: reads the event log once and reports, over the domains that completed, the end-to-end time per
 * domain (its MigrationRequested to its MigrationCompleted, by the events' own times) at p50 and p99, and the span
 * from the first request to the last completion. Args: BOOTSTRAP EVENTS_TOPIC [--settled]. With {@code --settled} (for
 * bench/dry-run, where no domain completes) every domain counts, ending at its last event, and the types of those
 * last events are counted.
 */
public final class WorkflowLatency {

    public static void main(String[] args) {
        EventCodec codec = new EventCodec();
        Map<String, Instant> requested = new HashMap<>();
        Map<String, Instant> completed = new HashMap<>();
        Map<String, String> lastType = new HashMap<>();
        boolean settled = args.length > 2 && args[2].equals("--settled");
        long[] events = new long[1];
        TopicToEnd.read(KafkaClientSettings.plaintext(args[0]), args[1], p -> true, Duration.ofMinutes(10), record -> {
            EventEnvelope e = codec.decode(record.value());
            events[0]++;
            if (e.sequence() == 1) {
                requested.putIfAbsent(e.domain().value(), e.occurredAt());
            } else if (settled) {
                completed.put(e.domain().value(), e.occurredAt());
            } else if (e.type().equals("MigrationCompleted")) {
                completed.putIfAbsent(e.domain().value(), e.occurredAt());
            }
            lastType.put(e.domain().value(), e.type());
        });
        List<Long> millis = new ArrayList<>();
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (Map.Entry<String, Instant> c : completed.entrySet()) {
            Instant r = requested.get(c.getKey());
            millis.add(Duration.between(r, c.getValue()).toMillis());
            first = r.isBefore(first) ? r : first;
            last = c.getValue().isAfter(last) ? c.getValue() : last;
        }
        Collections.sort(millis);
        if (millis.isEmpty()) {
            System.out.println("no domain completed");
            return;
        }
        if (settled) {
            Map<String, Long> byType = new java.util.TreeMap<>();
            lastType.values().forEach(t -> byType.merge(t, 1L, Long::sum));
            System.out.println("last events: " + byType);
        }
        System.out.printf("events=%d domains=%d " + (settled ? "settled" : "completed") + "=%d span_s=%.1f per_s=%.1f p50_s=%.1f p99_s=%.1f%n",
                events[0], requested.size(), millis.size(), Duration.between(first, last).toMillis() / 1000.0,
                millis.size() * 1000.0 / Math.max(1, Duration.between(first, last).toMillis()),
                millis.get(millis.size() / 2) / 1000.0, millis.get((int) Math.min(millis.size() - 1, Math.ceil(millis.size() * 0.99) - 1)) / 1000.0);
    }
}
