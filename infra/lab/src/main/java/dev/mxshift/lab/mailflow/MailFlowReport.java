package dev.mxshift.lab.mailflow;

import dev.mxshift.lab.mailflow.MailFlowRecorder.Attempt;
import dev.mxshift.lab.mailflow.MailFlowRecorder.Delivery;
import dev.mxshift.lab.mailflow.MailFlowRecorder.Submitted;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What became of every message handed to the lab's sender: stored exactly once, stored more than once, bounced,
 * still queued (deferred, not yet given up), or lost (the sender says sent, or never logged it, and no endpoint has
 * it); every deferral with its reason; and per domain, the endpoints that took its messages in the order they were
 * sent, and whether its last delivered message went over TLS the sender verified (DANE, RFC 7672).
 */
public final class MailFlowReport {

    /** A message's fate. */
    public enum Fate { DELIVERED, DUPLICATED, BOUNCED, QUEUED, LOST }

    public record Outcome(Submitted message, List<Attempt> attempts, List<Delivery> deliveries) {

        public Fate fate() {
            if (deliveries.size() > 1) {
                return Fate.DUPLICATED;
            }
            if (deliveries.size() == 1) {
                return Fate.DELIVERED;
            }
            String last = attempts.isEmpty() ? "" : attempts.get(attempts.size() - 1).status();
            return switch (last) {
                case "bounced", "expired" -> Fate.BOUNCED;
                case "deferred", "" -> attempts.stream().anyMatch(a -> a.status().equals("sent")) ? Fate.LOST : Fate.QUEUED;
                default -> Fate.LOST;
            };
        }

        /** The attempt that handed the message over, if one did. */
        public Attempt delivering() {
            return attempts.stream().filter(a -> a.status().equals("sent")).reduce((a, b) -> b).orElse(null);
        }
    }

    /** One deferral: the message, its domain and what the sender said. */
    public record Deferral(String messageId, String domain, String relay, String reason) {
    }

    /**
     * A domain's mail: the endpoints that took its messages, in the order they were sent, each run of the same endpoint
     * once; the last delivered message's endpoint and the TLS the sender logged for it.
     */
    public record DomainFlow(String domain, List<String> endpoints, String lastEndpoint, String lastTls) {

        public boolean lastDaneVerified() {
            return "Verified".equals(lastTls);
        }
    }

    private final List<Outcome> outcomes;

    public MailFlowReport(List<Submitted> submitted, Map<String, List<Attempt>> attempts, Map<String, List<Delivery>> deliveries) {
        List<Outcome> list = new ArrayList<>();
        for (Submitted s : submitted) {
            list.add(new Outcome(s, attempts.getOrDefault(s.messageId(), List.of()), deliveries.getOrDefault(s.messageId(), List.of())));
        }
        list.sort(Comparator.comparing(o -> o.message().at()));
        this.outcomes = List.copyOf(list);
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    public int sent() {
        return outcomes.size();
    }

    public long count(Fate fate) {
        return outcomes.stream().filter(o -> o.fate() == fate).count();
    }

    /** Messages without a final word yet: deferred (or not yet tried) and neither stored nor bounced. */
    public long pending() {
        return count(Fate.QUEUED);
    }

    /**
     * Messages an endpoint already stored whose sender has not logged its "sent" line yet. The receiver can store a
     * copy a moment before the sender's log daemon writes the line with the delivery's TLS, so a report made then
     * would call a DANE-verified delivery unverified: wait for these as for {@link #pending()}.
     */
    public long unlogged() {
        return outcomes.stream().filter(o -> !o.deliveries().isEmpty() && o.delivering() == null).count();
    }

    /**
     * Messages the sender logged as sent that no endpoint has stored yet. An endpoint answers 250 once it has queued the
     * message, and its virtual(8) writes the maildir file a moment later, so a report made in between would call a
     * delivered message lost: wait for these as for {@link #pending()}. One that never appears is lost indeed, and a
     * bounded wait ends with it counted so.
     */
    public long unstored() {
        return outcomes.stream().filter(o -> o.deliveries().isEmpty() && o.delivering() != null).count();
    }

    /** Nothing left to wait for: every message has its final word in both the sender's log and the endpoints'. */
    public boolean settled() {
        return pending() == 0 && unlogged() == 0 && unstored() == 0;
    }

    public List<Deferral> deferrals() {
        List<Deferral> deferrals = new ArrayList<>();
        for (Outcome o : outcomes) {
            o.attempts().stream().filter(a -> a.status().equals("deferred"))
                    .forEach(a -> deferrals.add(new Deferral(o.message().messageId(), o.message().domain(), a.relay(), a.reason())));
        }
        return deferrals;
    }

    /** Per domain, in the order domains were first mailed. */
    public Map<String, DomainFlow> domains() {
        Map<String, List<Outcome>> byDomain = outcomes.stream()
                .collect(Collectors.groupingBy(o -> o.message().domain(), LinkedHashMap::new, Collectors.toList()));
        Map<String, DomainFlow> flows = new LinkedHashMap<>();
        byDomain.forEach((domain, list) -> {
            List<String> endpoints = new ArrayList<>();
            Outcome last = null;
            for (Outcome o : list) {
                for (Delivery d : o.deliveries()) {
                    if (endpoints.isEmpty() || !endpoints.get(endpoints.size() - 1).equals(d.endpoint())) {
                        endpoints.add(d.endpoint());
                    }
                    last = o;
                }
            }
            String lastEndpoint = last == null ? "" : last.deliveries().get(last.deliveries().size() - 1).endpoint();
            String lastTls = last == null || last.delivering() == null ? "" : last.delivering().tls();
            flows.put(domain, new DomainFlow(domain, List.copyOf(endpoints), lastEndpoint, lastTls));
        });
        return flows;
    }

    /** One line for a run's report. */
    public String summary() {
        long verified = domains().values().stream().filter(DomainFlow::lastDaneVerified).count();
        Map<String, Long> reasons = deferrals().stream().collect(Collectors.groupingBy(d -> d.reason().replaceAll("\\s+", " "),
                LinkedHashMap::new, Collectors.counting()));
        return String.format("mail flow: %d sent, %d delivered once, %d duplicated, %d bounced, %d lost, %d still queued; %d deferrals%s;"
                        + " %d of %d domains' last delivery DANE-verified",
                sent(), count(Fate.DELIVERED), count(Fate.DUPLICATED), count(Fate.BOUNCED), count(Fate.LOST), pending(),
                deferrals().size(), reasons.isEmpty() ? "" : " " + reasons, verified, domains().size());
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(summary());
        domains().values().forEach(d -> out.append("\n  ").append(d.domain()).append(": ").append(String.join(" -> ", d.endpoints()))
                .append(d.lastTls().isEmpty() ? "" : " (last: " + d.lastTls() + " TLS)"));
        outcomes.stream().filter(o -> o.fate() != Fate.DELIVERED).forEach(o -> out.append("\n  ").append(o.fate()).append(' ')
                .append(o.message().recipient()).append(' ').append(o.message().messageId()).append(' ').append(o.attempts()));
        return out.toString();
    }
}
