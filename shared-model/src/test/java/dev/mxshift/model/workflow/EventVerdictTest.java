package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The workflow's reading of a history: the first event of each sequence applied, the others ignored with the reason. */
class EventVerdictTest {

    @Test
    void aRepeatAnEventAfterAGapAndAnEventTheWorkflowRefusesAreIgnoredWithTheirReasons() {
        DomainHistory history = CooperativeWorld.migrated(DomainName.of("contoso.example"));
        List<EventEnvelope> all = history.events();
        List<EventEnvelope> read = new ArrayList<>(all.subList(0, 3));
        read.add(all.get(1));                 // a repeat
        read.add(all.get(4));                 // #4 is missing
        List<EventVerdict> verdicts = EventVerdict.of(read);

        assertThat(verdicts.subList(0, 3)).allSatisfy(v -> assertThat(v.applied()).isTrue());
        assertThat(verdicts.get(2).stateAfter()).isEqualTo(Workflow.replay(MigrationState.initial(history.state().domain()), all.subList(0, 3)));
        assertThat(verdicts.get(3).ignoredBecause()).isEqualTo("a repeat of #2 (the same event written again)");
        assertThat(verdicts.get(3).stateAfter()).isEqualTo(verdicts.get(2).stateAfter());
        assertThat(verdicts.get(4).ignoredBecause()).startsWith("out of order").contains("#4");

        // the migration's completion before it started: the workflow refuses it
        EventEnvelope last = all.get(all.size() - 1);
        EventEnvelope early = new EventEnvelope(last.eventId(), last.domain(), last.tenant(), 2, null, last.occurredAt(), last.schemaVersion(),
                last.payload(), last.state());
        assertThat(EventVerdict.of(List.of(all.get(0), early)).get(1).ignoredBecause()).startsWith("refused by the workflow: ");
    }
}
