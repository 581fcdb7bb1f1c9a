package dev.mxshift.operator;

import dev.mxshift.discovery.sweep.SweepFinding;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.LegacyReference;
import dev.mxshift.model.event.LegacyReferencesFound;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's findings as discovery facts on the event log (decision 0028, addendum): each finding goes to the domain
 * on the log that encloses its owner most closely among the domains of the swept zone; a domain of a swept zone gets a
 * {@code LegacyReferencesFound} only where what it would carry differs from what its state carries (so a repeat
 * appends nothing, and a zone whose references were fixed gets an empty list once). Findings at no domain of the log
 * stay in the sweep's report only.
 */
final class LegacyReferencesRecorder {

    /** What to append: the domains whose references changed, with the new ones; how many stayed; findings no domain takes. */
    record Plan(Map<DomainName, List<LegacyReference>> changed, int unchanged, List<SweepFinding> atNoDomain) {
    }

    /** The result of a recording: domains recorded, domains left as they were, domains whose event did not land. */
    record Recorded(int recorded, int unchanged, int atNoDomain, List<String> notRecorded) {
    }

    private LegacyReferencesRecorder() {
    }

    /**
     * @param states   every domain's latest state on the event log
     * @param swept    each zone read whole (lower case, no final dot) with everything found in it (empty: nothing)
     */
    static Plan decide(Map<DomainName, MigrationState> states, Map<String, List<SweepFinding>> swept) {
        Map<String, List<MigrationState>> byZone = new LinkedHashMap<>();
        for (MigrationState s : states.values()) {
            if (s.provider() != null && swept.containsKey(s.provider().zone().value())) {
                byZone.computeIfAbsent(s.provider().zone().value(), z -> new ArrayList<>()).add(s);
            }
        }
        Map<DomainName, List<LegacyReference>> wanted = new LinkedHashMap<>();
        byZone.values().forEach(domains -> domains.forEach(s -> wanted.put(s.domain(), new ArrayList<>())));
        List<SweepFinding> atNoDomain = new ArrayList<>();
        swept.forEach((zone, findings) -> {
            List<MigrationState> domains = byZone.getOrDefault(zone, List.of());
            for (SweepFinding f : findings) {
                String owner = f.owner().toLowerCase(Locale.ROOT);
                // the closest enclosing domain: the longest name the owner is at or under
                MigrationState closest = domains.stream().filter(s -> owner.equals(s.domain().value()) || owner.endsWith("." + s.domain().value()))
                        .max(Comparator.comparingInt(s -> s.domain().value().length())).orElse(null);
                if (closest == null) {
                    atNoDomain.add(f);
                } else {
                    wanted.get(closest.domain()).add(reference(f));
                }
            }
        });
        Map<DomainName, List<LegacyReference>> changed = new LinkedHashMap<>();
        int unchanged = 0;
        for (Map.Entry<DomainName, List<LegacyReference>> w : wanted.entrySet()) {
            List<LegacyReference> references = w.getValue().stream().sorted(LegacyReference.ORDER).distinct().toList();
            if (references.equals(states.get(w.getKey()).legacyReferences())) {
                unchanged++;
            } else {
                changed.put(w.getKey(), references);
            }
        }
        return new Plan(changed, unchanged, atNoDomain);
    }

    static LegacyReference reference(SweepFinding f) {
        return new LegacyReference(f.zone(), f.owner(), f.type(), f.ttl(), f.rdata(), f.kind().name(), f.legacy(), f.why(), f.fix(),
                f.confidence().name());
    }

    /**
     * Appends the plan's events and confirms them from the state topic; a domain whose event lost a race with a service's
     * event of the same sequence is decided again from its new state (up to three rounds), as the operator's actions are.
     */
    static Recorded record(EventLog log, Map<String, List<SweepFinding>> swept, String source, Actor actor, Duration wait) {
        EventFactory events = new EventFactory(java.time.Clock.systemUTC());
        EventLog.Snapshot snapshot = log.snapshot();
        Plan plan = decide(snapshot.states(), swept);
        int unchanged = plan.unchanged();
        int recorded = 0;
        List<String> notRecorded = new ArrayList<>();
        Map<DomainName, List<LegacyReference>> pending = plan.changed();
        for (int round = 1; round <= 3 && !pending.isEmpty(); round++) {
            List<EventEnvelope> appends = new ArrayList<>();
            Map<DomainName, MigrationState> states = snapshot.states();
            pending.forEach((domain, references) -> appends.add(events.next(states.get(domain), new LegacyReferencesFound(references, source), null)
                    .causedBy(actor)));
            Map<DomainName, EventLog.Outcome> outcomes = log.appendAndConfirm(snapshot, appends, wait, n -> { });
            List<DomainName> lost = new ArrayList<>();
            for (EventEnvelope e : appends) {
                EventLog.Outcome o = outcomes.get(e.domain());
                if (o == EventLog.Outcome.LOST_RACE) {
                    lost.add(e.domain());
                } else if (o == EventLog.Outcome.APPLIED) {
                    recorded++;
                } else {
                    notRecorded.add(e.domain().value() + ": " + (o == EventLog.Outcome.ALREADY_IN_LOG ? "an earlier sweep's event is in the log,"
                            + " not applied yet" : "appended as event #" + e.sequence() + " but not recorded within " + wait.toSeconds() + " s")
                            + "; are the services running?");
                }
            }
            if (lost.isEmpty()) {
                break;
            }
            snapshot = log.snapshot();
            Plan again = decide(snapshot.states(), swept);
            unchanged += (int) lost.stream().filter(d -> !again.changed().containsKey(d)).count();
            Map<DomainName, List<LegacyReference>> next = new LinkedHashMap<>();
            lost.stream().filter(again.changed()::containsKey).forEach(d -> next.put(d, again.changed().get(d)));
            pending = next;
            if (round == 3) {
                pending.keySet().forEach(d -> notRecorded.add(d.value() + ": the domain kept moving; sweep again"));
            }
        }
        return new Recorded(recorded, unchanged, plan.atNoDomain().size(), List.copyOf(notRecorded));
    }
}
