package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * The operator's changes, once for the command line and the HTTP API: select domains, decide per domain with
 * {@link OperatorAction}, append, confirm from the state topic; a domain whose event lost a race with a service's
 * event of the same sequence is decided again from its new state (up to three rounds), so no change is silently
 * dropped.
 */
final class Operations {

    /** One domain's result: done, pending (appended, not yet recorded), refused (with why), or unknown. */
    record Result(String domain, String tenant, String outcome, String detail) {
    }

    /** Progress of the appends of one round. */
    interface ProgressListener {
        IntConsumer round(int events);
    }

    private final EventLog log;
    private final EventFactory eventFactory = new EventFactory(java.time.Clock.systemUTC());

    Operations(EventLog log) {
        this.log = log;
    }

    /**
     * Applies {@code action} to the domains {@code selection} picks, among those {@code visible} lets through (a
     * tenant-scoped caller sees only its tenant's). Named domains that do not exist, or are not visible, are "unknown".
     * Every event names {@code actor} (the audit trail); {@code by} is the free text the payload records.
     */
    Map<String, Result> apply(OperatorAction action, Selection selection, Predicate<MigrationState> visible, String by,
                              dev.mxshift.model.event.Actor actor, String reason, Duration wait, ProgressListener progress) {
        return apply((state, events) -> action.decide(state, by, reason, events), selection, visible, actor, wait, progress);
    }

    /** A decision for one domain from its state: the operator's actions, or an approval of fixes (decision 0036). */
    interface Decider {
        OperatorAction.Decision decide(MigrationState state, EventFactory events);
    }

    /** As above, with the decision given: {@code decider} says per domain what to append, or why not. */
    Map<String, Result> apply(Decider decider, Selection selection, Predicate<MigrationState> visible,
                              dev.mxshift.model.event.Actor actor, Duration wait, ProgressListener progress) {
        Map<String, Result> results = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        EventLog.Snapshot snapshot = log.snapshot();
        Map<DomainName, MigrationState> states = new LinkedHashMap<>();
        snapshot.states().forEach((d, s) -> {
            if (visible.test(s)) {
                states.put(d, s);
            }
        });
        List<MigrationState> chosen = selection.select(states, unknown);
        unknown.forEach(d -> results.put(d, new Result(d, null, "unknown", "no such domain in the event log (imported?)")));
        for (int round = 1; round <= 3 && !chosen.isEmpty(); round++) {
            List<EventEnvelope> events = new ArrayList<>();
            for (MigrationState state : chosen) {
                OperatorAction.Decision d = decider.decide(state, eventFactory);
                if (d instanceof OperatorAction.Append a) {
                    events.add(a.event().causedBy(actor));
                } else {
                    results.put(state.domain().value(), new Result(state.domain().value(), tenant(state), "refused", ((OperatorAction.Refused) d).why()));
                }
            }
            if (events.isEmpty()) {
                break;
            }
            Map<DomainName, EventLog.Outcome> outcomes = log.appendAndConfirm(snapshot, events, wait, progress.round(events.size()));
            List<DomainName> lost = new ArrayList<>();
            for (EventEnvelope e : events) {
                EventLog.Outcome o = outcomes.get(e.domain());
                if (o == EventLog.Outcome.LOST_RACE) {
                    lost.add(e.domain());
                    continue;
                }
                results.put(e.domain().value(), new Result(e.domain().value(), e.tenant().value(),
                        o == EventLog.Outcome.APPLIED ? "done" : "pending",
                        o == EventLog.Outcome.APPLIED ? OperatorAction.describe(e.state())
                                : o == EventLog.Outcome.ALREADY_IN_LOG ? "already asked: event #" + e.sequence() + " " + e.type()
                                + " is in the log from an earlier request and not applied yet, so it was not appended again;"
                                + " are the services running? It takes effect when they are"
                                : "appended as event #" + e.sequence() + " but not recorded within " + wait.toSeconds()
                                + " s; are the services running? It takes effect when they are"));
            }
            if (lost.isEmpty()) {
                break;
            }
            snapshot = log.snapshot();
            EventLog.Snapshot fresh = snapshot;
            chosen = lost.stream().map(d -> fresh.states().get(d)).filter(Objects::nonNull).toList();
            if (round == 3) {
                chosen.forEach(s -> results.put(s.domain().value(), new Result(s.domain().value(), tenant(s), "refused",
                        "the domain kept moving; try again")));
            }
        }
        return results;
    }

    private static String tenant(MigrationState s) {
        return s.tenant() == null ? null : s.tenant().value();
    }
}
