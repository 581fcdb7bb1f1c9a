package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** One domain's whole history, readable: every event in log order, what it said, and the state after it. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Every event of one domain, in order, with the state after each; repeats and lost races are marked.",
        footer = {"", "Examples:", "  history contoso.com", "  history contoso.com --json"})
final class HistoryCommand extends EventLogCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DOMAIN", description = "the domain")
    String domain;

    @Option(names = "--json", description = "print the events as JSON (with their payloads and states)")
    boolean json;

    /**
     * An event as the history shows it; {@code ignoredBecause} says why the workflow did not act on it ({@link EventVerdict}),
     * null where it did.
     */
    record Entry(long sequence, String time, String type, boolean counted, String summary, String stateAfter, String actor,
                 String ignoredBecause) {
    }

    /** The history's lines: every event, with the state after it, or why the workflow ignored it. */
    static List<Entry> entries(List<EventEnvelope> events) {
        List<Entry> entries = new ArrayList<>();
        for (EventVerdict v : EventVerdict.of(events)) {
            EventEnvelope e = v.event();
            entries.add(new Entry(e.sequence(), e.occurredAt().toString(), e.type(), v.applied(), summary(e), OperatorAction.describe(e.state()),
                    e.actor() == null ? null : e.actor().toString(), v.ignoredBecause()));
        }
        return entries;
    }

    @Override
    public Integer call() {
        DomainName name;
        try {
            name = DomainName.of(domain);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name: " + e.getMessage());
        }
        List<EventEnvelope> events = kafka.eventLog().history(name);
        PrintWriter out = out();
        if (events.isEmpty()) {
            err().println("history: " + name + " has no events in " + kafka.eventsTopic + " (not imported?)");
            return 1;
        }
        List<Entry> entries = entries(events);
        if (json) {
            List<JsonNode> all = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) Json.CODEC.toTree(events.get(i));
                if (!entries.get(i).counted()) {
                    node.put("ignoredBecause", entries.get(i).ignoredBecause());
                }
                all.add(node);
            }
            out.println(Json.write(all));
            return 0;
        }
        out.println(name + " (tenant " + events.get(0).tenant() + "), " + events.size() + " event(s):");
        print(entries, out);
        dev.mxshift.model.workflow.DnssecProgress dnssec = dev.mxshift.model.workflow.DnssecProgress.of(events);
        if (dnssec.phase() != dev.mxshift.model.workflow.DnssecPhase.NONE) {
            out.println("DNSSEC: " + dnssec.describe());
        }
        return 0;
    }

    /** The entries for a person: the state after each event the workflow applied, why it ignored each other one. */
    static void print(List<Entry> entries, PrintWriter out) {
        for (Entry e : entries) {
            out.printf("#%-3d %s  %-24s %s%s%n", e.sequence(), e.time(), e.type() + (e.counted() ? "" : " [ignored]"), e.summary(),
                    e.actor() == null ? "" : "  [asked by " + e.actor() + "]");
            out.printf("     -> %s%n", e.counted() ? e.stateAfter() : "ignored by the workflow: " + e.ignoredBecause());
        }
    }

    /** The payload's plain fields, in a line. */
    static String summary(EventEnvelope e) {
        JsonNode payload = Json.CODEC.toTree(e.payload());
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            JsonNode v = field.getValue();
            if (v.isNull() || (v.isContainer() && v.isEmpty())) {
                continue;
            }
            String text = v.isValueNode() ? v.asString() : v.toString();
            if (text.length() > 160) {
                text = text.substring(0, 157) + "...";
            }
            b.append(b.length() == 0 ? "" : ", ").append(field.getKey()).append('=').append(text);
        }
        return b.toString();
    }
}
