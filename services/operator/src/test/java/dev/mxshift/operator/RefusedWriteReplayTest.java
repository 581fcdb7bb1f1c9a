package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which domains the demo has its write refused (mailable ones whose zone is a primary zone of the lab's BIND, by name), and
 * how the watcher's looks go: each stopped domain's mail log read on its own throttle, and a domain whose replay is refused
 * again settled and reported, not waited for (decision 0040). The zone's thaw runs rndc against a configuration that does
 * not exist here, which fails and is reported; the looks are driven with explicit instants.
 */
class RefusedWriteReplayTest {

    private static final JsonNode LAB = Json.MAPPER.readTree("""
            {"authoritative": [
              {"name": "powerdns", "address": "127.0.10.1", "port": 5300},
              {"name": "bind", "address": "127.0.0.1", "port": 5301, "rndcConf": "/lab/bind/rndc.conf",
               "zones": ["bergbahn.ch", "alpineskihouse.com", "expired-signatures.com"], "secondaryZones": ["seeblick.ch"]}]}
            """);

    private static RefusedWriteReplay choose(JsonNode endpoints, List<String> mailable, int count) {
        return RefusedWriteReplay.forLab(endpoints, mailable, count, Duration.ofSeconds(30), new PrintWriter(new StringWriter()));
    }

    @Test
    void theFirstMailableDomainsByNameWhoseZoneIsAtBindAreChosenNeverASecondaryOrAnUnmailableOne() {
        List<String> mailable = List.of("contoso.com", "seeblick.ch", "bergbahn.ch", "alpineskihouse.com");

        assertThat(choose(LAB, mailable, 1).domains()).containsExactly("alpineskihouse.com");
        assertThat(choose(LAB, mailable, 5).domains()).containsExactly("alpineskihouse.com", "bergbahn.ch");
        assertThat(choose(LAB, mailable, 0).domains()).isEmpty();
        assertThat(choose(LAB, mailable, 0).pending()).isFalse();
    }

    @Test
    void aLabWithoutBindHasNoReplayAndNothingWaitsForOne() {
        RefusedWriteReplay none = choose(Json.MAPPER.readTree("{\"authoritative\": [{\"name\": \"powerdns\"}]}"), List.of("alpineskihouse.com"), 1);

        assertThat(none.domains()).isEmpty();
        assertThat(none.pending()).isFalse();
        assertThat(none.replays()).isEmpty();
    }

    @Test
    void aChosenDomainWaitsForItsRefusedWriteUntilTheRunEndsAndThenSaysNoReplayWasShown() {
        RefusedWriteReplay one = choose(LAB, List.of("alpineskihouse.com"), 1);

        assertThat(one.pending()).as("frozen, waiting for its write to be refused").isTrue();
        assertThat(one.replays()).singleElement().satisfies(r -> {
            assertThat(r.stoppedAt()).isNull();
            assertThat(r.reason()).isEqualTo("the run ended before its write");
        });
    }

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");
    private static final EventFactory EVENTS = new EventFactory(Clock.fixed(T0, ZoneOffset.UTC));

    /** A domain migrated up to its first write, which the frozen zone refused: FAILED. */
    private static DomainHistory refusedAtItsFirstWrite(String domain) {
        DomainHistory history = DomainHistory.of(DomainName.of(domain));
        for (int i = 0; i < 100 && !(Workflow.next(history.state()) instanceof NextAction.ApplyStep a && a.planStep().writes()); i++) {
            history.add(CooperativeWorld.successorOf(history.state()));
        }
        NextAction.ApplyStep write = (NextAction.ApplyStep) Workflow.next(history.state());
        history.add(new StepApplyFailed(write.direction(), write.step(), ApplyFailureKind.PERMANENT,
                "the zone " + domain + " is frozen: the server REFUSED the update", null));
        assertThat(history.state().status()).isEqualTo(WorkflowStatus.FAILED);
        return history;
    }

    private static Map<DomainName, MigrationState> states(DomainHistory... histories) {
        Map<DomainName, MigrationState> states = new LinkedHashMap<>();
        for (DomainHistory h : histories) {
            states.put(h.state().domain(), h.state());
        }
        return states;
    }

    /** The replay of one domain, which has seen it stop at {@link #T0}; what it says goes to {@code said}. */
    private static RefusedWriteReplay stoppedAtT0(DomainHistory history, StringWriter said) throws InterruptedException {
        RefusedWriteReplay one = RefusedWriteReplay.forLab(LAB, List.of(history.state().domain().value()), 1, Duration.ofSeconds(30),
                new PrintWriter(said, true));
        one.step(states(history), T0, (d, since) -> true, EVENTS);
        return one;
    }

    @Test
    void eachStoppedDomainsMailLogIsLookedAtOnItsOwnThrottleNotPutOffByAnothersLook() throws InterruptedException {
        RefusedWriteReplay two = choose(LAB, List.of("alpineskihouse.com", "bergbahn.ch"), 2);
        Map<DomainName, MigrationState> failed = states(refusedAtItsFirstWrite("alpineskihouse.com"), refusedAtItsFirstWrite("bergbahn.ch"));
        List<String> looked = new ArrayList<>();
        RefusedWriteReplay.DeliveredSince nothingYet = (domain, since) -> {
            looked.add(domain);
            return false;
        };
        two.step(failed, T0, nothingYet, EVENTS);
        assertThat(looked).as("stopping is noted, no look yet").isEmpty();

        two.step(failed, T0.plusSeconds(1), nothingYet, EVENTS);
        assertThat(looked).as("both looked at in the same round").containsExactly("alpineskihouse.com", "bergbahn.ch");

        looked.clear();
        two.step(failed, T0.plusSeconds(3), nothingYet, EVENTS);
        assertThat(looked).as("each at most every 5 s").isEmpty();
        two.step(failed, T0.plusSeconds(6), nothingYet, EVENTS);
        assertThat(looked).containsExactly("alpineskihouse.com", "bergbahn.ch");
        assertThat(two.pending()).isTrue();
    }

    @Test
    void aDomainWhoseReplayIsRefusedIsSettledAndReportedNotWaitedForUntilTheTimeout() throws InterruptedException {
        StringWriter said = new StringWriter();
        DomainHistory history = refusedAtItsFirstWrite("alpineskihouse.com");
        RefusedWriteReplay one = stoppedAtT0(history, said);
        // someone cancelled it meanwhile: a replay from the failing step is refused
        history.add(new Cancelled("operator", "customer left"));

        List<EventEnvelope> appended = one.step(states(history), T0.plusSeconds(6), (d, since) -> true, EVENTS);

        assertThat(appended).isEmpty();
        assertThat(one.pending()).as("nothing more happens without a person: the watch settles").isFalse();
        assertThat(said.toString()).contains("alpineskihouse.com, but its replay was refused (cannot replay").contains("needs a person");
        assertThat(one.replays()).singleElement().satisfies(r -> {
            assertThat(r.stoppedAt()).isEqualTo(T0);
            assertThat(r.replayedAt()).as("not replayed: the mail-flow verdict counts it as a problem, the watch exits 1").isNull();
            assertThat(r.reason()).contains("its replay was refused");
        });
        assertThat(one.step(states(history), T0.plusSeconds(60), (d, since) -> true, EVENTS)).as("not tried again").isEmpty();
    }

    @Test
    void aDomainWhoseReplayedWriteIsRefusedAgainIsSettledAndReported() throws InterruptedException {
        StringWriter said = new StringWriter();
        DomainHistory history = refusedAtItsFirstWrite("alpineskihouse.com");
        RefusedWriteReplay one = stoppedAtT0(history, said);
        List<EventEnvelope> replay = one.step(states(history), T0.plusSeconds(1), (d, since) -> true, EVENTS);
        assertThat(replay).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("RetryRequested"));
        history.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "demo"));
        one.step(states(history), T0.plusSeconds(2), (d, since) -> true, EVENTS);
        assertThat(one.pending()).isFalse();

        NextAction.ApplyStep write = (NextAction.ApplyStep) Workflow.next(history.state());
        history.add(new StepApplyFailed(write.direction(), write.step(), ApplyFailureKind.PERMANENT, "REFUSED again", null));
        one.step(states(history), T0.plusSeconds(3), (d, since) -> true, EVENTS);

        assertThat(one.pending()).isFalse();
        assertThat(WatchCommand.settled(history.state())).isTrue();
        assertThat(said.toString()).contains("alpineskihouse.com: its replayed write was refused again").contains("needs a person");
        assertThat(one.replays()).singleElement().satisfies(r -> assertThat(r.replayedAt()).isEqualTo(T0.plusSeconds(1)));
    }
}
