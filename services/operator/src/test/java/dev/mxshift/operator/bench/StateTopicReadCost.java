package dev.mxshift.operator.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.StateTopicView;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What one refresh of an operator's view of the state topic costs, on a state topic a benchmark left behind: a full
 * read decoding every record (what every {@code watch} refresh and API request did before decision 0016's addendum),
 * the view's first refresh (everything, each domain's last state decoded once) and a view refresh with nothing new
 * (what a refresh costs after the migration has settled). Each is timed {@code ROUNDS} times in one JVM, after one
 * warm-up round of each; process CPU and wall time. Args: BOOTSTRAP STATE_TOPIC [ROUNDS].
 */
public final class StateTopicReadCost {

    public static void main(String[] args) {
        KafkaClientSettings kafka = KafkaClientSettings.plaintext(args[0]);
        String topic = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 0; round <= rounds; round++) {
            String label = round == 0 ? "warm-up" : "round " + round;
            long[] records = new long[1];
            Map<Object, Object> latest = new HashMap<>();
            measure(label + ", a full read once (StateTopicView.forEach: each poll's last record of a domain decoded)", () -> {
                records[0] = StateTopicView.forEach(kafka, topic, p -> true, Duration.ofMinutes(10), s -> latest.put(s.domain(), s));
                return records[0] + " states decoded, " + latest.size() + " domains";
            });
            try (StateTopicView view = new StateTopicView(kafka, topic, Duration.ofMinutes(10))) {
                measure(label + ", view's first refresh", () -> {
                    int domains = view.refresh().states().size();
                    return view.counts().recordsRead() + " records read, " + view.counts().statesDecoded() + " states decoded, " + domains + " domains";
                });
                measure(label + ", view refresh, nothing new", () -> view.refresh().states().size() + " domains");
            }
        }
    }

    private static void measure(String what, java.util.function.Supplier<String> run) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        String result = run.get();
        System.out.printf("%s: %.2f s wall, %.2f CPU-s (%s)%n", what, (System.nanoTime() - wall) / 1e9,
                (os.getProcessCpuTime() - cpu) / 1e9, result);
    }
}
