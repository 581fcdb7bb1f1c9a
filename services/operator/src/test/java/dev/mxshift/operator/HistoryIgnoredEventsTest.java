package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code history} marks each event the workflow ignored, with the workflow's reason, and shows the state after the others. */
class HistoryIgnoredEventsTest {

    @Test
    void aSecondConfirmationOfTheSameStepIsMarkedIgnoredNamingTheFirstAndWhoAskedForIt() {
        DomainHistory history = DomainHistory.of(DomainName.of("contoso.example"));
        history.add(CooperativeWorld.request(history.state().domain()));
        while (!(Workflow.next(history.state()) instanceof NextAction.AwaitExternalConfirmation)) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        MigrationState waiting = history.state();
        EventFactory factory = new EventFactory(Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));
        EventEnvelope alice = ((OperatorAction.Append) OperatorAction.CONFIRM.decide(waiting, "alice", null, factory)).event()
                .causedBy(Actor.cli("alice"));
        EventEnvelope bob = ((OperatorAction.Append) OperatorAction.CONFIRM.decide(waiting, "bob", null, factory)).event()
                .causedBy(Actor.cli("bob"));
        List<EventEnvelope> events = new ArrayList<>(history.events());
        events.add(alice);
        events.add(bob);
        events.add(alice);

        List<HistoryCommand.Entry> entries = HistoryCommand.entries(events);
        StringWriter text = new StringWriter();
        HistoryCommand.print(entries, new PrintWriter(text, true));

        assertThat(entries).hasSize(events.size());
        assertThat(entries.subList(0, history.events().size() + 1)).allSatisfy(e -> assertThat(e.counted()).isTrue());
        HistoryCommand.Entry second = entries.get(entries.size() - 2);
        assertThat(second.counted()).isFalse();
        assertThat(second.actor()).contains("bob");
        assertThat(second.ignoredBecause()).startsWith("stale: #" + alice.sequence() + " was already ExternalActionConfirmed asked by")
                .contains("alice");
        assertThat(entries.get(entries.size() - 1).ignoredBecause()).startsWith("a repeat of #" + alice.sequence());
        assertThat(text.toString()).contains("ExternalActionConfirmed [ignored]")
                .contains("-> ignored by the workflow: stale: #" + alice.sequence());
        assertThat(text.toString().lines().filter(l -> l.contains("[ignored]")).count()).isEqualTo(2);
    }
}
